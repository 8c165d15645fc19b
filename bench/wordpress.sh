#!/usr/bin/env bash
# `make bench-wordpress` prerequisites: Debian's WordPress, PHP-FPM, nginx and a running
# MariaDB, on top of what `make bench` needs (bench/services.sh). Installs and starts only
# what is missing (run as root, as on these machines). The system nginx and php-fpm
# services are left alone: bench/compare.py runs private instances on free ports.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

install() {
    echo "Installing $*…"
    apt-get install -y -qq "$@" >/dev/null
}

updated=""
need() {
    # dpkg, not `command -v`: php-fpm's binary is versioned (php-fpm8.2), nginx's is in sbin.
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ -z "$updated" ]; then apt-get update -qq; updated=1; fi
        install "${missing[@]}"
    fi
}

# nginx and PHP first: `wordpress` depends on "apache2 | httpd" and "libapache2-mod-php |
# php"; with nginx (which provides httpd) and the `php` package already installed apt takes
# them. Installed together, or without `php`, apt picks Apache and mod_php.
need nginx php-fpm php php-cli php-mysql
need wordpress
need mariadb-server mariadb-client

if ! mysqladmin -h 127.0.0.1 -P 3306 -u root status >/dev/null 2>&1; then
    echo "Starting MariaDB…"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 60); do
        mysqladmin -h 127.0.0.1 -P 3306 -u root status >/dev/null 2>&1 && break
        sleep 0.5
    done
    mysqladmin -h 127.0.0.1 -P 3306 -u root status >/dev/null
fi
