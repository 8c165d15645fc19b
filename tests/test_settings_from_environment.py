"""
Settings come from the environment through strict django-environ
(plume/environment.py): every variable the README lists keeps working, and a
value that cannot be read stops start-up with a message naming the variable.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from plume.environment import Env

ROOT = Path(__file__).resolve().parent.parent

# Variables these tests set; removed from the inherited environment so that defaults show.
OURS = (
    "DEBUG",
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "CACHE_URL",
    "EMAIL_URL",
    "TASKS_URL",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
)


def run_manage(*args, **variables):
    env = {key: value for key, value in os.environ.items() if key not in OURS}
    env = {key: value for key, value in env.items() if not key.startswith("COMMENTS_")}
    env.update(DJANGO_SETTINGS_MODULE="plume.settings", **variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


SHOW_SETTINGS = """
import json
import plume.settings as module
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "databases": {alias: [db["ENGINE"], db["NAME"], db.get("TEST", {}).get("MIRROR")]
                  for alias, db in settings.DATABASES.items()},
    "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": [settings.EMAIL_BACKEND, settings.PLUME_EMAIL_DELIVERY_BACKEND, settings.EMAIL_HOST,
              settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_HOST_USER],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "rq": getattr(settings, "RQ_QUEUES", None),
    "flood": settings.COMMENTS_FLOOD_SECONDS,
    "close": settings.COMMENTS_CLOSE_AFTER_DAYS,
    "status": settings.COMMENTS_DEFAULT_STATUS,
    "rules": len(settings.COMMENTS_MODERATION_RULES),
    "flood_in_plume_settings": hasattr(module, "COMMENTS_FLOOD_SECONDS"),
}))
"""


def settings_with(**variables):
    result = run_manage("shell", "-c", SHOW_SETTINGS, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_variable_has_a_default_that_needs_nothing_installed():
    shown = settings_with()
    assert shown["DEBUG"] is False
    assert shown["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]", "testserver"]
    assert shown["databases"] == {"default": ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3"), None]}
    assert shown["CONN_MAX_AGE"] == 60
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["email"] == [
        "core.mail.TaskEmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        25,
        False,
        False,
        "",
    ]
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["rq"] is None


def test_the_comments_defaults_are_declared_by_the_comments_app():
    shown = settings_with()
    assert shown["flood_in_plume_settings"] is False
    assert (shown["flood"], shown["close"], shown["status"], shown["rules"]) == (15, 0, "pending", 13)


def test_the_environment_overrides_the_comments_defaults():
    shown = settings_with(
        COMMENTS_FLOOD_SECONDS="0", COMMENTS_CLOSE_AFTER_DAYS="30", COMMENTS_DEFAULT_STATUS="approved"
    )
    assert (shown["flood"], shown["close"], shown["status"]) == (0, 30, "approved")


def test_production_urls_select_postgres_replicas_redis_smtp_and_rq():
    shown = settings_with(
        DEBUG="yes",
        ALLOWED_HOSTS="blog.example.fr, www.example.fr",
        DATABASE_URL="postgres://plume:secret@db:5432/plume",
        DATABASE_REPLICA_URLS="postgres://plume@replica-a/plume,postgres://plume@replica-b/plume",
        CACHE_URL="redis://cache:6379/0",
        EMAIL_URL="smtp://mailer:p%40ss@smtp.example.fr:587/?tls=1",
        TASKS_URL="redis://queue:6379/1",
    )
    assert shown["DEBUG"] is True
    assert shown["ALLOWED_HOSTS"] == ["blog.example.fr", "www.example.fr"]
    assert shown["databases"] == {
        "default": ["django.db.backends.postgresql", "plume", None],
        "replica1": ["django.db.backends.postgresql", "plume", "default"],
        "replica2": ["django.db.backends.postgresql", "plume", "default"],
    }
    assert shown["cache"] == "core.cache.RedisCache"
    assert shown["email"] == [
        "core.mail.TaskEmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.fr",
        587,
        True,
        False,
        "mailer",
    ]
    assert shown["tasks"] == "django_tasks_rq.RQBackend"
    assert shown["rq"] == {"default": {"URL": "redis://queue:6379/1"}}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "ture"),
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("CONN_MAX_AGE", "sixty"),
        ("AXES_FAILURE_LIMIT", "5x"),
        ("COMMENTS_FLOOD_SECONDS", "abc"),
        ("DATABASE_URL", "mysqlx://plume@db/plume"),
        ("DATABASE_REPLICA_URLS", "postgres://plume@replica/plume,postgress://plume@replica-b/plume"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("EMAIL_URL", "smpt://smtp.example.fr"),
        ("EMAIL_URL", "smtp://smtp.example.fr/?tsl=1"),
        ("TASKS_URL", "celery://queue"),
        ("COMMENTS_DEFAULT_STATUS", "aproved"),
    ],
)
def test_a_value_that_cannot_be_read_stops_start_up_naming_the_variable(variable, value):
    result = run_manage("check", **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable}:" in result.stderr


def test_the_error_does_not_print_the_database_password():
    result = run_manage("check", DATABASE_URL="mysql://plume:hunter2@db/plume")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr


def reader(**variables):
    env = Env()
    env.ENVIRON = variables
    return env


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("On", True), ("yes", True)])
def test_booleans_read_every_spelling_of_on(value, expected):
    assert reader(DEBUG=value).bool("DEBUG", default=False) is expected


@pytest.mark.parametrize("value", ["0", "false", "OFF", "no"])
def test_booleans_read_every_spelling_of_off(value):
    assert reader(DEBUG=value).bool("DEBUG", default=True) is False


def test_an_empty_variable_is_an_unset_one():
    assert reader(DEBUG="").bool("DEBUG", default=True) is True
    assert reader(SECRET_KEY="").str("SECRET_KEY", default="dev") == "dev"


def test_a_secret_starting_with_a_dollar_is_read_as_it_is():
    assert reader(SECRET_KEY="$ecret-key", ecret="other").str("SECRET_KEY") == "$ecret-key"


def test_smtps_is_implicit_tls_on_port_465_as_plume_always_read_it():
    config = reader(EMAIL_URL="smtps://user@smtp.example.fr").email_url("EMAIL_URL")
    assert (config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"], config["EMAIL_PORT"]) == (True, False, 465)


def test_locmem_and_dummy_cache_urls_keep_working():
    assert reader(CACHE_URL="locmem://").cache_url("CACHE_URL")["BACKEND"].endswith("LocMemCache")
    assert reader(CACHE_URL="dummy://").cache_url("CACHE_URL")["BACKEND"].endswith("DummyCache")


def test_a_bad_integer_names_its_variable():
    with pytest.raises(ImproperlyConfigured, match="PLUME_POSTS_PER_PAGE"):
        reader(PLUME_POSTS_PER_PAGE="ten").int("PLUME_POSTS_PER_PAGE", default=10)
