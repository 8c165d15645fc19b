"""Renditions made in the background: widths and WebP, srcset in the pages, renditions in the API."""

import re
import shutil

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from blog.models import Media
from blog.services import media_create
from core.images import make_renditions

from .factories import PageFactory, PostFactory
from .image_support import image_bytes, upload
from .test_html_validity import VNU_JAR, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_image(author_user, media_root, django_capture_on_commit_callbacks):
    """Upload through the service, its renditions made by the task once the upload commits."""

    def make(width=2000, height=1000, image_format="JPEG", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            media = media_create(
                by=author_user, file=upload(image_bytes(width, height, image_format), "photo"), **fields
            )
        media.refresh_from_db()
        return media

    return make


def test_the_task_makes_every_width_in_the_original_format_and_webp(upload_image, media_root):
    media = upload_image(2000, 1000)
    made = {(size["width"], size["type"]) for size in media.sizes}
    assert made == {
        *((width, kind) for width in (480, 800, 1200, 1600) for kind in ("image/jpeg", "image/webp")),
        (2000, "image/jpeg"),  # the original itself
        (2000, "image/webp"),
    }
    for size in media.sizes:
        with Image.open(media_root / size["name"]) as image:
            assert image.size == (size["width"], size["height"])
            assert image.format == {"image/jpeg": "JPEG", "image/webp": "WEBP"}[size["type"]]
            assert size["height"] == size["width"] // 2


def test_images_are_never_upscaled(upload_image):
    media = upload_image(700, 350, "PNG")
    assert sorted({size["width"] for size in media.sizes}) == [480, 700]
    assert {size["type"] for size in media.sizes} == {"image/png", "image/webp"}
    assert {size["width"] for size in upload_image(300, 200).sizes} == {300}


def test_the_widths_are_a_setting(upload_image, settings):
    settings.PLUME_IMAGE_WIDTHS = [100, 250]
    assert sorted({size["width"] for size in upload_image(400, 400).sizes}) == [100, 250, 400]


def test_a_missing_file_makes_no_renditions_and_no_error(upload_image, media_root):
    media = upload_image(600, 300)
    (media_root / media.file.name).unlink()
    media.renditions = {}
    media.save()
    from core.images import render_image

    assert render_image.call(model="blog.Media", pk=media.pk, field="file", record_field="renditions") == 0
    media.refresh_from_db()
    assert media.sizes == []


def test_renditions_are_replaced_when_made_again(upload_image, media_root):
    media = upload_image(1000, 500)
    first = make_renditions(media.file.name)
    assert {size["name"] for size in first} == {size["name"] for size in media.sizes}


def srcset_widths(html):
    return {int(width) for width in re.findall(r" (\d+)w", html)}


def test_the_post_page_and_listings_use_srcset_sizes_width_height_and_lazy(client, upload_image):
    media = upload_image(2000, 1000, alt_text="Un chat roux")
    post = PostFactory(featured_media=media, slug="chat")
    page = client.get(post.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="post__image">(.*?)</figure>', page, re.S).group(1)
    assert figure.startswith("<picture>")
    assert '<source type="image/webp"' in figure
    assert srcset_widths(figure) == {480, 800, 1200, 1600, 2000}
    assert 'sizes="' in figure and 'width="2000"' in figure and 'height="1000"' in figure
    assert 'alt="Un chat roux"' in figure
    assert 'loading="lazy"' not in figure  # the first thing seen: fetched at once

    cache.clear()
    home = client.get("/").content.decode()
    card = re.search(r'<a class="post-card__image".*?</a>', home, re.S).group(0)
    assert "srcset=" in card and 'sizes="' in card and 'width="2000"' in card


def test_a_card_lower_in_a_listing_is_lazy(client, upload_image):
    media = upload_image(900, 600)
    for _ in range(3):
        PostFactory(featured_media=media)
    home = client.get("/").content.decode()
    cards = re.findall(r'<a class="post-card__image".*?</a>', home, re.S)
    assert any('loading="lazy"' in card for card in cards)


def test_library_images_in_the_body_get_srcset(client, api_client, upload_image):
    media = upload_image(1600, 800)
    body = f"Voici :\n\n![Le chat]({media.url})\n\n![Ailleurs](https://example.org/x.jpg)\n"
    post = PostFactory(body=body, slug="corps")
    page = client.get(post.get_absolute_url()).content.decode()
    article = re.search(r'<div class="post__body prose">(.*?)</div>', page, re.S).group(1)
    assert srcset_widths(article) == {480, 800, 1200, 1600}
    assert 'alt="Le chat"' in article and 'loading="lazy"' in article and 'width="1600"' in article
    assert '<img alt="Ailleurs" src="https://example.org/x.jpg">' in article  # not ours: untouched

    body_html = api_client.get("/api/v1/posts/corps/").json()["body_html"]
    assert srcset_widths(body_html) == {480, 800, 1200, 1600}

    PageFactory(slug="apropos", body=body)
    assert srcset_widths(client.get("/apropos/").content.decode()) >= {480, 1600}


def test_the_api_gives_each_image_its_renditions_and_alt(api_client, upload_image):
    media = upload_image(1300, 650, alt_text="Texte")
    answer = api_client.get(f"/api/v1/media/{media.pk}/").json()
    assert answer["alt_text"] == "Texte"
    renditions = answer["renditions"]
    assert {(r["width"], r["type"]) for r in renditions} >= {(480, "image/webp"), (1200, "image/jpeg")}
    for rendition in renditions:
        assert set(rendition) == {"url", "width", "height", "type"}
        assert rendition["url"].startswith("http://testserver/media/")

    PostFactory(featured_media=media, slug="api")
    featured = api_client.get("/api/v1/posts/api/").json()["featured_image"]
    assert featured["alt"] == "Texte"
    assert featured["renditions"] == renditions
    listed = api_client.get("/api/v1/posts/").json()["results"][0]["featured_image"]
    assert listed["renditions"] == renditions


def test_a_featured_image_uploaded_to_the_post_gets_renditions_too(
    client, media_root, django_capture_on_commit_callbacks
):
    post = PostFactory(slug="ancien")
    with django_capture_on_commit_callbacks(execute=True):
        post.featured_image.save("old.jpg", ContentFile(image_bytes(1000, 500)), save=True)
    post.refresh_from_db()
    assert {size["width"] for size in post.featured_image_info["sizes"]} == {480, 800, 1000}
    page = client.get(post.get_absolute_url()).content.decode()
    assert srcset_widths(page) >= {480, 800, 1000}


def test_listings_run_the_same_queries_with_featured_images(
    client, upload_image, django_assert_max_num_queries
):
    for width in (600, 700, 800, 900):
        PostFactory(featured_media=upload_image(width, 300))
    cache.clear()
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/posts/").status_code == 200
    assert Media.objects.count() == 4


@pytest.mark.skipif(shutil.which("java") is None or not VNU_JAR.exists(), reason="no Java or vnu.jar")
def test_pages_with_pictures_are_valid_html(client, upload_image, tmp_path):
    media = upload_image(1700, 900, alt_text="Chat")
    post = PostFactory(featured_media=media, body=f"![Chat]({media.url})\n", slug="valide")
    files = []
    for name, url in (("post", post.get_absolute_url()), ("home", "/")):
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(path)
    assert [message["message"] for message in validate(files)] == []


def test_wordpress_media_answers_with_media_details_sizes(client, upload_image):
    media = upload_image(1000, 500, alt_text="Chat")
    PostFactory(featured_media=media)
    [item] = client.get("/wp-json/wp/v2/media").json()
    details = item["media_details"]
    assert (details["width"], details["height"]) == (1000, 500)
    assert {"full", "w480", "w480-webp", "w800", "w800-webp", "w1000-webp"} == set(details["sizes"])
    assert details["sizes"]["full"]["source_url"] == item["source_url"]
    assert details["sizes"]["w480-webp"] == {
        "file": "photo-480w.webp",
        "width": 480,
        "height": 240,
        "mime_type": "image/webp",
        "source_url": details["sizes"]["w480-webp"]["source_url"],
    }
    assert item["alt_text"] == "Chat"
