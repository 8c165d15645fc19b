"""
Scaling out, for real: a throwaway PostgreSQL primary with a streaming hot
standby (DATABASE_REPLICA_URLS), and two gunicorn instances sharing one
PostgreSQL and one Redis.

The cluster is made once for the module with PostgreSQL's own binaries, as the
postgres user, in temporary directories on free ports; the machine's shared
server on 5432 is never touched (it allows no replication connections).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from authors import roles
from tests.factories import AuthorFactory, PostFactory, UserFactory
from tests.servers import ROOT, database_url, free_port, gunicorn, redis_is_up

# The newest PostgreSQL server installed (Debian: /usr/lib/postgresql/<major>/bin).
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda path: int(path.parent.name),
    default=Path("/nonexistent"),
)


def as_postgres(*command, **kwargs):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def configure(data_dir, **options):
    with open(data_dir / "postgresql.conf", "a") as conf:
        conf.writelines(f"{name} = '{value}'\n" for name, value in options.items())


@pytest.fixture(scope="module")
def cluster():
    """(primary port, standby port) of a primary and its hot standby, streaming."""
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs PostgreSQL 15's server binaries and root (to run them as postgres)")
    workdir = Path(tempfile.mkdtemp(prefix="plume-replica-"))
    shutil.chown(workdir, "postgres", "postgres")
    primary, standby = workdir / "primary", workdir / "standby"
    primary_port, standby_port = free_port(), free_port()
    started = []
    try:
        as_postgres(PG_BIN / "initdb", "-D", primary, "-A", "trust", "-U", "postgres")
        configure(
            primary,
            port=primary_port,
            listen_addresses="127.0.0.1",
            unix_socket_directories=workdir,
            wal_level="replica",
            fsync="off",
        )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        as_postgres(PG_BIN / "pg_ctl", "-D", primary, "-l", workdir / "primary.log", "-w", "start")
        started.append(primary)
        as_postgres(
            PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres",
            "-D", standby, "-R", "-X", "stream",
        )  # fmt: skip
        configure(standby, port=standby_port)
        as_postgres(PG_BIN / "pg_ctl", "-D", standby, "-l", workdir / "standby.log", "-w", "start")
        started.append(standby)
        yield primary_port, standby_port
    finally:
        for data_dir in reversed(started):
            as_postgres(PG_BIN / "pg_ctl", "-D", data_dir, "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def sql(port, query, params=(), dbname="plume"):
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True) as db:
        cursor = db.execute(query, params)
        return cursor.fetchone() if cursor.description else None


SEED = """
import json
from rest_framework.authtoken.models import Token
from authors import roles
from tests.factories import AuthorFactory, PostFactory, UserFactory
author = AuthorFactory(user=UserFactory(username="autrice", role=roles.AUTHOR))
reader = UserFactory(username="lectrice")
post = PostFactory(author=author, title="Titre d'origine")
print(json.dumps({
    "slug": post.slug,
    "author": Token.objects.create(user=author.user).key,
    "reader": Token.objects.create(user=reader).key,
}))
"""


@pytest.fixture(scope="module")
def replicated_site(cluster, collected_static):
    """A gunicorn on the primary with the standby as its replica, and the seeded blog."""
    primary_port, standby_port = cluster
    sql(primary_port, "CREATE DATABASE plume", dbname="postgres")
    primary_url = f"postgres://postgres@127.0.0.1:{primary_port}/plume"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plume.settings",
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{standby_port}/plume",
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True, "timeout": 300}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    seeded = subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], **run).stdout
    seeded = json.loads(seeded.strip().splitlines()[-1])
    settings = {
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URLS": env["DATABASE_REPLICA_URLS"],
        "STATIC_ROOT": str(collected_static),
        "CACHE_URL": "locmem://",
        "PLUME_READ_PRIMARY_SECONDS": "2",
    }
    # One worker: its local-memory cache remembers which API clients just wrote.
    with gunicorn(settings, workers=1) as base_url:
        yield {**seeded, "url": base_url, "primary": primary_port, "standby": standby_port}


def api(site, method, path, token, body=None):
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        site["url"] + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    if method in ("PUT", "PATCH"):
        # Whatever version is current: these tests are about where reads go, not about conflicts.
        request.add_header("If-Match", "*")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
        return json.load(response)


def title_seen_by(site, who):
    return api(site, "GET", f"/api/v1/posts/{site['slug']}/", site[who])["title"]


def until(condition, timeout=5):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time allowed")
        time.sleep(0.05)


def test_the_standby_really_is_a_streaming_hot_standby(cluster):
    primary_port, standby_port = cluster
    assert sql(standby_port, "SELECT pg_is_in_recovery()", dbname="postgres") == (True,)
    assert sql(primary_port, "SELECT pg_is_in_recovery()", dbname="postgres") == (False,)
    assert sql(primary_port, "SELECT count(*) FROM pg_stat_replication", dbname="postgres") == (1,)


def test_reads_go_to_the_standby_writes_to_the_primary_and_a_writer_sees_its_change(replicated_site):
    site = replicated_site
    slug = site["slug"]
    assert title_seen_by(site, "reader") == "Titre d'origine"
    # With replay paused, the standby keeps showing what it had: whatever shows it was read there.
    sql(site["standby"], "SELECT pg_wal_replay_pause()")
    try:
        sql(site["primary"], "UPDATE blog_post SET title = 'Changé sur le primaire' WHERE slug = %s", [slug])
        assert title_seen_by(site, "reader") == "Titre d'origine"

        # The write reaches the primary (the standby would refuse it: it is read-only).
        edited = api(site, "PATCH", f"/api/v1/posts/{slug}/", site["author"], {"title": "Titre corrigé"})
        assert edited["title"] == "Titre corrigé"
        title = "SELECT title FROM blog_post WHERE slug = %s"
        assert sql(site["primary"], title, [slug]) == ("Titre corrigé",)
        assert sql(site["standby"], title, [slug]) == ("Titre d'origine",)

        # The author reads their own change at once (from the primary); another reader, from the standby.
        assert title_seen_by(site, "author") == "Titre corrigé"
        assert title_seen_by(site, "reader") == "Titre d'origine"

        # A few seconds later (PLUME_READ_PRIMARY_SECONDS=2 here) the author reads from the standby again.
        time.sleep(2.2)
        assert title_seen_by(site, "author") == "Titre d'origine"
    finally:
        sql(site["standby"], "SELECT pg_wal_replay_resume()")
    until(lambda: title_seen_by(site, "reader") == "Titre corrigé")


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_two_gunicorn_instances_sharing_postgres_and_redis_serve_one_site(transactional_db, collected_static):
    if connection.vendor != "postgresql":
        pytest.skip("the live gunicorn tests run on PostgreSQL (DATABASE_URL=postgres://...)")
    roles.sync_role_groups()  # an earlier transactional test may have flushed them
    author = AuthorFactory(user=UserFactory(username="autrice", role=roles.AUTHOR))
    post = PostFactory(author=author, title="Titre d'origine")
    token = Token.objects.create(user=author.user).key
    shared = {
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(collected_static),
        # One Redis for both, under a prefix of this run's own.
        "CACHE_URL": f"redis://127.0.0.1:6379/0?key_prefix=plume-test-{uuid.uuid4().hex}",
    }
    with gunicorn(shared) as first, gunicorn(shared) as second:
        site_one = {"url": first, "slug": post.slug, "author": token}
        site_two = {"url": second, "slug": post.slug}

        def anonymous(site, path):
            with urllib.request.urlopen(site["url"] + path, timeout=10) as response:  # noqa: S310
                return response.read().decode()

        api_path, page_path = f"/api/v1/posts/{post.slug}/", post.get_absolute_url()
        # Both anonymous answers are now in the shared cache.
        assert json.loads(anonymous(site_two, api_path))["title"] == "Titre d'origine"
        assert "Titre corrigé" not in anonymous(site_two, page_path)

        api(site_one, "PATCH", api_path, token, {"title": "Titre corrigé"})

        # Seen through the other instance at once: same database, same cache generation.
        assert json.loads(anonymous(site_two, api_path))["title"] == "Titre corrigé"
        assert "Titre corrigé" in anonymous(site_two, page_path)
        assert json.loads(anonymous(site_one, api_path))["title"] == "Titre corrigé"
