"""
The databases a benchmark creates, empties and asks about: PostgreSQL (Plume's data set,
the import's scratch copies), Redis (the cache under test) and MariaDB (WordPress's side).
"""

import os
import subprocess
from urllib.parse import urlsplit, urlunsplit

from bench.server import BenchError

MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root"}


def postgresql_url(example):
    """DATABASE_URL, which must name a PostgreSQL database (`example`: what to set it to)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise BenchError(f"Plume's side of the benchmark runs on PostgreSQL: set DATABASE_URL={example}")
    return url


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin_connection(url):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url, *, template=None):
    """Create the database of `url` if missing; with a template, a fresh copy of it."""
    from psycopg import sql

    name = database_name(url)
    with _admin_connection(url) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if template is None and exists:
            return
        if exists:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(database_name(template)))
        connection.execute(statement)


def drop_database(url):
    from psycopg import sql

    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def cancel_queries(url):
    """Stop what PostgreSQL still runs for a request its worker gave up on."""
    with _admin_connection(url) as connection:
        connection.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            [database_name(url)],
        )


def postgresql_version(url):
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return "unknown"


def redis_flush(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
        return True
    except Exception:  # noqa: BLE001 - any failure means: no Redis to measure against
        return False


def redis_version(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=2).info("server")["redis_version"]
    except Exception:  # noqa: BLE001
        return "not reachable"


def mariadb(statement, *, database=None):
    """Run one statement with the mysql client (no Python driver needed); its rows, tab-separated."""
    command = ["mysql", "-h", MARIADB["host"], "-P", str(MARIADB["port"]), "-u", MARIADB["user"]]
    command += ["--batch", "--skip-column-names", "-e", statement]
    if database:
        command.append(database)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BenchError(f"MariaDB: {completed.stderr.strip()[-500:]}")
    return [line.split("\t") for line in completed.stdout.splitlines()]


def create_mariadb_database(name):
    mariadb(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")


def mariadb_version():
    try:
        return mariadb("SELECT VERSION()")[0][0]
    except Exception:  # noqa: BLE001 - a version is a label, not a reason to stop
        return "unknown"
