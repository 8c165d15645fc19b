"""
A private WordPress for the side-by-side benchmark: Debian's WordPress copied into a
scratch directory with a wp-config.php of its own, served by an nginx and a php-fpm that
run from configuration files in that directory, on a free port. Nothing system-wide is
read or changed but the installed packages and Debian's php.ini (OPcache on).
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

from bench.server import BENCH, BenchError, HttpServer, child_pids, peak_rss_mb

WORDPRESS_DIR = Path("/usr/share/wordpress")
PHP = BENCH / "php"
PHP_FPM = "php-fpm8.2"
# Served from the private copy only: the PHP and OPcache that php-fpm really runs.
STATUS_SCRIPT = "plume-bench-status.php"
STATUS_PHP = """<?php
header('Content-Type: application/json');
$status = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
echo json_encode(['php' => PHP_VERSION, 'opcache' => (bool) ($status['opcache_enabled'] ?? false)]);
"""

# What Debian's /etc/nginx/fastcgi_params passes, but HTTP_HOST: Debian passes `$host`,
# which drops the port, and WordPress served on a port other than 80 then redirects every
# request to the URL it already asked for. `$http_host` is the Host header as sent, port
# included; on a loopback benchmark no client sends a forged one.
FASTCGI_PARAMS = [
    ("QUERY_STRING", "$query_string"),
    ("REQUEST_METHOD", "$request_method"),
    ("CONTENT_TYPE", "$content_type"),
    ("CONTENT_LENGTH", "$content_length"),
    ("SCRIPT_NAME", "$fastcgi_script_name"),
    ("SCRIPT_FILENAME", "$document_root$fastcgi_script_name"),
    ("REQUEST_URI", "$request_uri"),
    ("DOCUMENT_URI", "$document_uri"),
    ("DOCUMENT_ROOT", "$document_root"),
    ("SERVER_PROTOCOL", "$server_protocol"),
    ("REQUEST_SCHEME", "$scheme"),
    ("GATEWAY_INTERFACE", "CGI/1.1"),
    ("SERVER_SOFTWARE", "nginx/$nginx_version"),
    ("REMOTE_ADDR", "$remote_addr"),
    ("REMOTE_PORT", "$remote_port"),
    ("SERVER_ADDR", "$server_addr"),
    ("SERVER_PORT", "$server_port"),
    ("SERVER_NAME", "$server_name"),
    ("REDIRECT_STATUS", "200"),
    ("HTTP_HOST", "$http_host"),
]


def nginx_config(directory, *, docroot, port, socket):
    """nginx in the foreground, its pid, logs and temporary files in `directory`."""
    params = "\n".join(f"            fastcgi_param {name} {value};" for name, value in FASTCGI_PARAMS)
    temp = "\n".join(
        f"    {kind}_temp_path {directory}/nginx-{kind};"
        for kind in ("client_body", "fastcgi", "proxy", "uwsgi", "scgi")
    )
    return f"""# Written by bench/wordpress_site.py; private to one benchmark run.
daemon off;
worker_processes 1;
user www-data;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;

events {{
    worker_connections 256;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
{temp}

    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        root {docroot};
        index index.php;

        # Pretty permalinks (/%postname%/): whatever is not a file goes to WordPress.
        location / {{
            try_files $uri $uri/ /index.php?$args;
        }}

        location ~ \\.php$ {{
            try_files $uri =404;
{params}
            fastcgi_pass unix:{socket};
        }}
    }}
}}
"""


def php_fpm_config(directory, *, socket, children):
    """php-fpm in the foreground with one pool of `children` static workers, OPcache on."""
    return f"""; Written by bench/wordpress_site.py; private to one benchmark run.
[global]
pid = {directory}/php-fpm.pid
error_log = {directory}/php-fpm.log
daemonize = no

[plume-bench]
user = www-data
group = www-data
listen = {socket}
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
pm = static
pm.max_children = {children}
catch_workers_output = yes
php_admin_value[opcache.enable] = 1
"""


def wp_config(*, database, home, db_host="127.0.0.1:3306", db_user="root"):
    """wp-config.php for the private copy: its database, its URL, no cron and no network."""
    salts = "\n".join(
        f"define('{name}', '{secrets.token_hex(32)}');"
        for name in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
            "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
        )
    )  # fmt: skip
    return f"""<?php
// Written by bench/wordpress_site.py; private to one benchmark run.
define('DB_NAME', '{database}');
define('DB_USER', '{db_user}');
define('DB_PASSWORD', '');
define('DB_HOST', '{db_host}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', '{home}');
define('WP_SITEURL', '{home}');
define('WP_DEBUG', false);
// No request of the benchmark may start WordPress's cron (a loopback request to
// wp-cron.php taking a php-fpm worker) or wait on the network (update checks).
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""


class WordPressSite(HttpServer):
    """WordPress behind nginx and php-fpm (`pm = static`), all in `directory`, on `port`."""

    def __init__(self, directory, *, port, database, children=2, language=""):
        self.directory = Path(directory)
        self.port, self.database, self.children, self.language = port, database, children, language
        self.docroot = self.directory / "wordpress"
        self.socket = self.directory / "php-fpm.sock"
        self.processes = {}
        self.status = {}

    @property
    def home(self):
        return f"http://127.0.0.1:{self.port}"

    def prepare(self):
        """The private copy of WordPress and the configuration files."""
        if not (WORDPRESS_DIR / "wp-settings.php").exists():
            raise BenchError(
                f"no WordPress in {WORDPRESS_DIR}: apt-get install wordpress (bench/wordpress.sh)"
            )
        # nginx and php-fpm workers run as www-data: they must reach the socket and docroot.
        self.directory.chmod(0o755)
        if not self.docroot.exists():
            shutil.copytree(WORDPRESS_DIR, self.docroot, symlinks=True)
        (self.docroot / "wp-config.php").unlink(missing_ok=True)
        (self.docroot / "wp-config.php").write_text(wp_config(database=self.database, home=self.home))
        (self.docroot / STATUS_SCRIPT).write_text(STATUS_PHP)
        (self.directory / "nginx.conf").write_text(
            nginx_config(self.directory, docroot=self.docroot, port=self.port, socket=self.socket)
        )
        (self.directory / "php-fpm.conf").write_text(
            php_fpm_config(self.directory, socket=self.socket, children=self.children)
        )
        return self

    def php(self, script, *args, timeout=3600):
        """One of bench/php/'s scripts with the PHP command line; its JSON line."""
        env = os.environ | {"PLUME_BENCH_WP_HOME": self.home, "PLUME_BENCH_WP_LANGUAGE": self.language}
        command = ["php", str(PHP / script), str(self.docroot), *map(str, args)]
        completed = subprocess.run(  # noqa: S603 - our own scripts
            command,
            env=env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise BenchError(f"php {script} failed: {(completed.stderr or completed.stdout).strip()[-1500:]}")
        lines = completed.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else {}

    def __enter__(self):
        try:
            self._start(
                "php-fpm", [PHP_FPM, "--nodaemonize", "--fpm-config", self.directory / "php-fpm.conf"]
            )
            self._wait(lambda: self.socket.exists() and len(self.worker_pids()) >= self.children, "php-fpm")
            self._start("nginx", ["nginx", "-c", self.directory / "nginx.conf"])
            self._wait(lambda: self.request("GET", "/" + STATUS_SCRIPT, timeout=2)[0] == 200, "nginx")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        status, body = self.request("GET", "/" + STATUS_SCRIPT)
        self.status = json.loads(body)
        return self

    def __exit__(self, *exc):
        for name in ("nginx", "php-fpm"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            # SIGQUIT: both finish the requests they are serving, then exit.
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, name, command):
        log = (self.directory / f"{name}.out").open("w")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed command lines
            [str(part) for part in command], stdout=log, stderr=subprocess.STDOUT, cwd=self.directory
        )
        log.close()

    def _wait(self, ready, name):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise BenchError(f"{name} exited ({process.returncode}): {self._log(name)}")
            if ready():
                return
            time.sleep(0.2)
        raise BenchError(f"{name} did not start within 30 s: {self._log(name)}")

    def _log(self, name):
        texts = []
        for path in (
            self.directory / f"{name}.out",
            self.directory / f"{name}-error.log",
            self.directory / f"{name}.log",
        ):
            if path.exists():
                texts.append(path.read_text()[-800:])
        return " ".join(texts).strip()

    def worker_pids(self):
        process = self.processes.get("php-fpm")
        return child_pids(process.pid) if process else []

    def peak_rss_mb(self):
        return peak_rss_mb(self.worker_pids())
