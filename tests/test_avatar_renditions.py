"""Avatars get square renditions in the background: widths and WebP, srcset in the bio box, the API."""

import re
import shutil

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from core.images import render_image

from .factories import AuthorFactory, PostFactory
from .image_support import image_bytes
from .test_html_validity import VNU_JAR, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def avatar(media_root, django_capture_on_commit_callbacks):
    """An author whose avatar is saved, its renditions made by the task once the save commits."""

    def make(width=600, height=400, image_format="JPEG", **fields):
        author = AuthorFactory(**fields)
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
        with django_capture_on_commit_callbacks(execute=True):
            author.avatar.save(f"portrait.{extension}", ContentFile(image_bytes(width, height, image_format)))
        author.refresh_from_db()
        return author

    return make


def box(page):
    return re.search(r'<aside class="author-box".*?</aside>', page, re.S).group(0)


def srcset_widths(html):
    return {int(width) for width in re.findall(r" (\d+)w", html)}


def test_the_task_makes_square_avatars_in_every_width_and_webp(avatar, media_root):
    author = avatar(600, 400)
    sizes = author.avatar_info["sizes"]
    assert {(size["width"], size["type"]) for size in sizes} == {
        (width, kind) for width in (64, 128, 256) for kind in ("image/jpeg", "image/webp")
    }
    for size in sizes:
        with Image.open(media_root / size["name"]) as image:
            assert image.size == (size["width"], size["width"]) == (size["width"], size["height"])
            assert image.format == {"image/jpeg": "JPEG", "image/webp": "WEBP"}[size["type"]]
            # Cropped in the centre like the thumbnail: the black left third of a 600×400 image
            # (200 px) is 100 px of the 400 px square, a quarter.
            edge = image.convert("RGB").getpixel((size["width"] // 8, size["width"] // 2))
            middle = image.convert("RGB").getpixel((size["width"] // 2, size["width"] // 2))
            assert max(edge) < 60 and middle[0] > 150
    assert author.avatar_thumbnail  # the fallback is still made, as before


def test_avatars_are_never_upscaled_and_keep_their_format(avatar):
    small = avatar(100, 150, "PNG")
    assert {(size["width"], size["height"], size["type"]) for size in small.avatar_info["sizes"]} == {
        (64, 64, "image/png"),
        (64, 64, "image/webp"),
        (100, 100, "image/png"),
        (100, 100, "image/webp"),
    }


def test_the_widths_are_a_setting(avatar, settings):
    settings.PLUME_AVATAR_WIDTHS = [40, 80]
    assert {size["width"] for size in avatar(300, 300).avatar_info["sizes"]} == {40, 80}


def test_a_new_avatar_replaces_the_renditions(avatar, media_root, django_capture_on_commit_callbacks):
    author = avatar(300, 300)
    old = {size["name"] for size in author.avatar_info["sizes"]}
    with django_capture_on_commit_callbacks(execute=True):
        author.avatar.save("autre.png", ContentFile(image_bytes(200, 200, "PNG")))
    author.refresh_from_db()
    assert {size["type"] for size in author.avatar_info["sizes"]} == {"image/png", "image/webp"}
    assert not any((media_root / name).exists() for name in old)


def test_before_the_task_runs_the_thumbnail_alone_is_shown(client, media_root):
    author = AuthorFactory()
    author.avatar.save("portrait.jpg", ContentFile(image_bytes(300, 300)))  # no commit: no task
    assert author.avatar_info["sizes"] == []
    post = PostFactory(author=author, slug="sans")
    aside = box(client.get(post.get_absolute_url()).content.decode())
    assert f'src="{author.avatar_url}"' in aside and "srcset" not in aside
    assert 'width="96" height="96" loading="lazy"' in aside


def test_a_missing_file_makes_no_renditions_and_no_error(avatar, media_root):
    author = avatar(300, 300)
    (media_root / author.avatar.name).unlink()
    type(author).objects.filter(pk=author.pk).update(avatar_renditions={})
    assert (
        render_image.call(
            model="authors.Author",
            pk=author.pk,
            field="avatar",
            record_field="avatar_renditions",
            widths=[64],
            square=True,
        )
        == 0
    )
    author.refresh_from_db()
    assert author.avatar_info["sizes"] == []


def test_the_bio_box_uses_srcset_sizes_width_height_and_lazy(client, avatar):
    author = avatar(600, 600, slug="simone")
    post = PostFactory(author=author, slug="bio")
    for url in (post.get_absolute_url(), author.get_absolute_url()):
        cache.clear()
        aside = box(client.get(url).content.decode())
        assert aside.count("<picture>") == 1 and '<source type="image/webp"' in aside
        assert srcset_widths(aside) == {64, 128, 256}
        assert 'class="author-box__avatar"' in aside and f'src="{author.avatar_url}"' in aside
        assert 'sizes="88px"' in aside and 'width="256" height="256"' in aside and 'loading="lazy"' in aside


def test_the_api_gives_the_avatar_renditions(api_client, client, avatar):
    author = avatar(500, 500, slug="simone")
    PostFactory(author=author, slug="api")
    profile = api_client.get("/api/v1/authors/simone/").json()
    renditions = profile["avatar_renditions"]
    assert [(r["width"], r["type"]) for r in renditions] == [
        (width, kind) for width in (64, 128, 256) for kind in ("image/jpeg", "image/webp")
    ]
    for rendition in renditions:
        assert set(rendition) == {"url", "width", "height", "type"}
        assert rendition["url"].startswith("http://testserver/media/renditions/avatars/")
    assert profile["avatar_url"].startswith("http://testserver/media/avatars/thumbnails/")
    assert api_client.get("/api/v1/posts/api/").json()["author"]["avatar_renditions"] == renditions
    listed = api_client.get("/api/v1/posts/").json()["results"][0]["author"]
    assert listed["avatar_renditions"] == renditions

    [user] = [u for u in client.get("/wp-json/wp/v2/users").json() if u["slug"] == "simone"]
    jpeg = {r["width"]: r["url"] for r in renditions if r["type"] == "image/jpeg"}
    assert user["avatar_urls"] == {"24": jpeg[64], "48": jpeg[64], "96": jpeg[128]}


def test_listings_run_the_same_queries_with_avatars(client, avatar, django_assert_max_num_queries):
    for number in range(4):
        PostFactory(author=avatar(300, 300, slug=f"auteur-{number}"))
    cache.clear()
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/posts/").status_code == 200


@pytest.mark.skipif(shutil.which("java") is None or not VNU_JAR.exists(), reason="no Java or vnu.jar")
def test_the_bio_box_with_a_picture_is_valid_html(client, avatar, tmp_path):
    author = avatar(400, 400, slug="valide")
    post = PostFactory(author=author, slug="valide")
    files = []
    for name, url in (("post", post.get_absolute_url()), ("author", author.get_absolute_url())):
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(path)
    assert [message["message"] for message in validate(files)] == []
