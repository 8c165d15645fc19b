"""Production settings pass Django's deployment checks and send the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="plume.settings",
        SECRET_KEY="a-long-random-production-secret-key-with-many-different-characters-0123456789",
        ALLOWED_HOSTS="blog.example.fr",
        PLUME_SITE_URL="https://blog.example.fr",
        # As the README's production section: one cache shared by every worker.
        CACHE_URL="redis://127.0.0.1:6379/0",
        **extra,
    )
    return env


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("unset", "check_id"),
    [
        ("SECRET_KEY", "security.W009"),
        ("PLUME_SITE_URL", "plume.W010"),
        ("CACHE_URL", "plume.W001"),
    ],
    ids=["development-secret-key", "no-site-url", "per-process-cache"],
)
def test_check_deploy_flags_what_production_must_set(unset, check_id):
    env = production_env()
    del env[unset]
    result = check_deploy(env)
    assert result.returncode != 0
    assert check_id in result.stdout + result.stderr


def deploy_check_ids():
    from django.core.checks import run_checks

    return {message.id for message in run_checks(include_deployment_checks=True)}


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}}


@pytest.mark.parametrize("caches", [LOCAL_MEMORY, NO_CACHE], ids=["locmem", "dummy"])
def test_check_deploy_warns_when_each_process_has_its_own_cache(caches):
    with override_settings(DEBUG=False, CACHES=caches):
        assert "plume.W001" in deploy_check_ids()


def test_check_deploy_is_quiet_about_a_shared_cache_or_in_debug():
    with override_settings(DEBUG=False, CACHES=REDIS):
        assert "plume.W001" not in deploy_check_ids()
    with override_settings(DEBUG=True, CACHES=LOCAL_MEMORY):
        assert "plume.W001" not in deploy_check_ids()


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_responses_carry_the_security_headers(client):
    response = client.get("/admin/login/", secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_served_behind_a_tls_proxy_when_redirect_is_off():
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=production_env(SECURE_SSL_REDIRECT="0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "True"], result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/", 200),
        ("get", "/feed/", 200),
        ("get", "/api/v1/posts/", 200),
        ("get", "/api/v1/nowhere/", 404),
        ("get", "/nowhere/", 404),
        ("get", "/search/?q=%00", 400),
        ("get", "/admin/login/", 200),
        ("post", "/api/v1/posts/", 401),
    ],
)
def test_every_response_turns_off_the_browser_features_a_blog_never_uses(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    policy = dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"):
        assert policy[feature] == "()", feature
