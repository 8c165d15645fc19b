"""POST /api/v1/media/: images checked by content, size limited, EXIF stripped, by role."""

from io import BytesIO

import pytest
from PIL import Image

from blog.models import Media

from .factories import PostFactory
from .image_support import GPS_IFD, MAKE, camera_exif, image_bytes, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/media/"


def post_image(client, data, name="photo.jpg", **fields):
    return client.post(URL, {"file": upload(data, name), **fields}, format="multipart")


@pytest.fixture
def as_author(api_client, author_user, media_root):
    api_client.force_authenticate(author_user)
    return api_client


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_an_author_uploads_an_image(as_author, image_format):
    data = image_bytes(image_format=image_format)
    response = post_image(as_author, data, name="Ma Photo.bin", alt_text="Un chat")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["width"] == 60 and body["height"] == 40
    assert body["alt_text"] == "Un chat"
    assert body["type"] == f"image/{image_format.lower()}"
    media = Media.objects.get(pk=body["id"])
    # The name is the file's own; the extension is what the content really is.
    assert media.file.name.rsplit("/", 1)[-1].startswith("ma-photo")
    assert media.file.name.endswith("." + {"JPEG": "jpg"}.get(image_format, image_format.lower()))
    with media.file.open() as stored, Image.open(stored) as image:
        assert image.format == image_format


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 500,  # a Windows executable renamed .jpg
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        image_bytes()[:200],  # a truncated JPEG
        b"",
    ],
    ids=["exe", "svg", "truncated", "empty"],
)
def test_what_is_not_an_image_is_refused_whatever_its_name(as_author, data):
    response = post_image(as_author, data, name="innocent.jpg")
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not Media.objects.exists()


def test_image_formats_other_than_the_four_are_refused(as_author):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    response = post_image(as_author, buffer.getvalue(), name="x.jpg")
    assert response.status_code == 400
    assert "BMP" in response.json()["errors"]["file"][0]


def test_the_size_is_limited_by_a_setting(as_author, settings):
    data = image_bytes(400, 400, "PNG")
    settings.PLUME_MEDIA_MAX_BYTES = len(data) - 1
    response = post_image(as_author, data, name="big.png")
    assert response.status_code == 400
    assert "Mo" in response.json()["errors"]["file"][0]
    settings.PLUME_MEDIA_MAX_BYTES = len(data)
    assert post_image(as_author, data, name="big.png").status_code == 201


def test_an_upload_of_ten_megabytes_and_more_is_a_400_not_a_413(as_author):
    data = image_bytes() + b"\x00" * (10 * 1024 * 1024)
    response = post_image(as_author, data)
    assert response.status_code == 400
    assert "10 Mo" in response.json()["errors"]["file"][0]


def test_exif_is_stripped_after_turning_the_image_upright(as_author):
    # Orientation 6: the camera was turned; the picture is shown rotated 90° clockwise.
    response = post_image(as_author, image_bytes(60, 40, exif=camera_exif(orientation=6)))
    assert response.status_code == 201
    media = Media.objects.get()
    with media.file.open() as stored, Image.open(stored) as image:
        assert not image.getexif()
        assert GPS_IFD not in image.getexif() and MAKE not in image.getexif()
        assert "exif" not in image.info
        assert image.size == (40, 60)  # upright
        # The black third (left before turning) is now at the top.
        assert image.convert("RGB").getpixel((20, 5))[0] < 40
        assert image.convert("RGB").getpixel((20, 55))[0] > 150
    assert (media.width, media.height) == (40, 60)


def test_png_and_webp_lose_their_exif_too(as_author):
    for image_format in ("PNG", "WEBP"):
        response = post_image(as_author, image_bytes(image_format=image_format, exif=camera_exif()), name="x")
        with Media.objects.get(pk=response.json()["id"]).file.open() as stored, Image.open(stored) as image:
            assert not image.getexif(), image_format


def test_contributors_and_anonymous_visitors_may_not_upload(api_client, contributor, media_root):
    assert post_image(api_client, image_bytes()).status_code == 401
    api_client.force_authenticate(contributor)
    assert post_image(api_client, image_bytes()).status_code == 403
    assert not Media.objects.exists()


def test_editors_upload(api_client, editor, media_root):
    api_client.force_authenticate(editor)
    assert post_image(api_client, image_bytes()).status_code == 201


def test_list_detail_change_and_delete(
    as_author, api_client, author_user, editor, django_user_model, media_root,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    media_id = post_image(as_author, image_bytes(), alt_text="avant").json()["id"]
    detail = f"{URL}{media_id}/"
    as_author.force_authenticate(None)
    assert api_client.get(URL).json()["results"][0]["id"] == media_id
    assert api_client.get(detail).json()["alt_text"] == "avant"
    assert api_client.patch(detail, {"alt_text": "x"}, format="json").status_code == 401

    api_client.force_authenticate(author_user)
    response = api_client.patch(detail, {"alt_text": "après", "caption": "Légende"}, format="json")
    assert response.status_code == 200
    assert response.json()["alt_text"] == "après"
    assert api_client.patch(detail, {"alt_text": 12}, format="json").status_code == 400
    assert api_client.put(detail, {"alt_text": "x"}, format="json").status_code == 405
    assert api_client.patch(detail, {"alt_text": "x"}, format="multipart").status_code == 415  # JSON only

    # Another author may not touch it; an editor may.
    other = django_user_model.objects.create_user("other-author")
    other.groups.set(author_user.groups.all())
    api_client.force_authenticate(other)
    assert api_client.patch(detail, {"alt_text": "mine"}, format="json").status_code == 403
    assert api_client.delete(detail).status_code == 403

    name = Media.objects.get().file.name
    api_client.force_authenticate(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.delete(detail).status_code == 204
    assert not Media.objects.exists()
    assert not (media_root / name).exists()


def test_a_post_uses_an_uploaded_image_as_its_featured_image(as_author, author_user):
    media_id = post_image(as_author, image_bytes(), alt_text="Le chat").json()["id"]
    response = as_author.post(
        "/api/v1/posts/", {"title": "Avec image", "featured_media": media_id}, format="json"
    )
    assert response.status_code == 201, response.content
    image = response.json()["featured_image"]
    assert image["media"] == media_id
    assert image["alt"] == "Le chat"
    assert image["url"].endswith(Media.objects.get().file.url)
    assert (image["width"], image["height"]) == (60, 40)
    missing = as_author.post("/api/v1/posts/", {"title": "x", "featured_media": 999}, format="json")
    assert missing.status_code == 400


def test_a_featured_image_uploaded_the_old_way_still_shows(api_client, media_root):
    from django.core.files.base import ContentFile

    post = PostFactory(featured_image_alt="Vieux")
    post.featured_image.save("old.jpg", ContentFile(image_bytes()), save=True)
    image = api_client.get(f"/api/v1/posts/{post.slug}/").json()["featured_image"]
    assert image["url"].endswith(post.featured_image.url)
    assert image["media"] is None and image["alt"] == "Vieux"


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(as_author, settings):
    settings.PLUME_MEDIA_MAX_PIXELS = 100 * 100
    response = post_image(as_author, image_bytes(101, 100, "PNG"), name="bomb.png")
    assert response.status_code == 400
    assert "101" in response.json()["errors"]["file"][0]
    assert post_image(as_author, image_bytes(100, 100, "PNG"), name="ok.png").status_code == 201
