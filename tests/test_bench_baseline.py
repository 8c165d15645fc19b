"""The benchmark's baseline endpoint is mounted by the bench setting only."""

import importlib

import pytest
from django.urls import clear_url_caches

import plume.urls
from bench.views import BASELINE_BODY


@pytest.fixture
def reload_urls():
    def reload():
        importlib.reload(plume.urls)
        clear_url_caches()

    yield reload
    reload()


def test_baseline_endpoint_is_absent_without_the_bench_setting(db, client, settings, reload_urls):
    settings.PLUME_BENCH = False
    reload_urls()
    assert client.get("/bench/baseline/").status_code == 404


def test_baseline_endpoint_returns_fixed_bytes_with_the_bench_setting(client, settings, reload_urls):
    settings.PLUME_BENCH = True
    reload_urls()
    response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert response.content == BASELINE_BODY
