"""The site's name, tagline, logo, social image, accent colour and footer: one row in the admin, cached."""

import io

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from core.colours import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, MIN_CONTRAST, accent_palette, contrast
from core.models import SiteSettings

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), "#1d5fa8").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_the_settings_start_from_the_environment_defaults(settings):
    settings.PLUME_SITE_NAME = "Le Carnet"
    settings.PLUME_SITE_DESCRIPTION = "Des notes."
    current = SiteSettings.objects.current()
    assert (current.site_name, current.tagline) == ("Le Carnet", "Des notes.")
    assert SiteSettings.objects.count() == 1


def test_there_is_only_ever_one_row():
    SiteSettings.objects.current()
    SiteSettings(site_name="Un autre").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.current().site_name == "Un autre"


def test_what_the_admin_sets_is_what_every_page_and_feed_shows(client, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    PostFactory(slug="un-article")
    client.force_login(superuser)
    current = SiteSettings.objects.current()
    response = client.post(
        f"/admin/core/sitesettings/{current.pk}/change/",
        {
            "site_name": "Le Carnet & Cie",
            "tagline": "Chroniques du numérique",
            "accent_colour": "#1d5fa8",
            "footer_text": "Rédaction : 12 rue des Lilas, Paris.",
            "logo": png(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()

    home = client.get("/").content.decode()
    assert "<title>Le Carnet &amp; Cie</title>" in home
    assert "Chroniques du numérique" in home
    assert "Rédaction : 12 rue des Lilas, Paris." in home
    assert 'src="/media/site/logo' in home
    assert "--accent-light: #1d5fa8" in home
    post = client.get("/un-article/").content.decode()
    assert "· Le Carnet &amp; Cie</title>" in post
    assert feedparser.parse(client.get("/feed/").content).feed.title == "Le Carnet & Cie"
    assert client.get("/manifest.webmanifest").json()["name"] == "Le Carnet & Cie"


def test_the_admin_list_opens_the_one_row_and_it_cannot_be_added_or_deleted(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/core/sitesettings/")
    current = SiteSettings.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/core/sitesettings/{current.pk}/change/"
    assert client.get("/admin/core/sitesettings/add/").status_code == 403
    assert client.get(f"/admin/core/sitesettings/{current.pk}/delete/").status_code == 403


def test_a_bad_accent_colour_is_refused_with_a_message(client, superuser):
    client.force_login(superuser)
    current = SiteSettings.objects.current()
    response = client.post(
        f"/admin/core/sitesettings/{current.pk}/change/", {"site_name": "Plume", "accent_colour": "rouge"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["accent_colour"]
    assert SiteSettings.objects.get().accent_colour != "rouge"


def test_the_settings_are_read_from_the_cache_once_known(client):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/")
    assert not [query for query in queries if "core_sitesettings" in query["sql"]]


@pytest.mark.parametrize("colour", ["#8a3b12", "#ffcc00", "#0055ff", "#000000", "#ffffff", "#7fbf7f"])
def test_any_accent_colour_is_made_readable_on_both_papers(colour):
    palette = accent_palette(colour)
    for background in LIGHT_BACKGROUNDS:  # white among them: the buttons' text
        assert contrast(palette["light"], background) >= MIN_CONTRAST
    for background in DARK_BACKGROUNDS:
        assert contrast(palette["dark"], background) >= MIN_CONTRAST
