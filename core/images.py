"""Images: uploads checked by their content, metadata stripped, renditions in several widths.

`clean_upload(file)` is the door every uploaded image goes through: at most
PLUME_MEDIA_MAX_BYTES and PLUME_MEDIA_MAX_PIXELS, opened and verified by Pillow (its name and declared type
count for nothing: an .exe renamed .jpg is refused), JPEG, PNG, WebP or GIF only,
turned upright by its EXIF orientation, then encoded again without any metadata
(EXIF with its GPS position and camera serial, XMP, comments). Only the colour
profile is kept, or the colours would change.

`make_renditions(name)` writes, next to a stored image, copies PLUME_IMAGE_WIDTHS
wide (never wider than the original) in its format and in WebP, through Django's
default storage (STORAGES["default"]: the file system under MEDIA_ROOT, or S3 with
django-storages). The `render_image` task does it in the background and records the
result on the object, as `{"source": name, "sizes": [{name, width, height, type}]}`;
`enqueue_renditions` asks for it when an object's image has none for its current file.

Pillow directly rather than easy-thumbnails or django-imagekit: renditions are made
once, in a task, to a fixed list of widths, and stored as plain files listed on the
object; those libraries' value (renditions made on first request, cache backends,
template tags per size) is what a background task and a JSON list replace, and
neither knows WebP alongside the original format without configuration per size.
"""

import logging
import posixpath
from io import BytesIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# Pillow's format name → MIME type, file extension.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
# What of an image's `info` is the picture itself, not metadata about it.
KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background", "disposal")
RENDITIONS_DIR = "renditions"


def max_upload_bytes():
    return settings.PLUME_MEDIA_MAX_BYTES


def max_pixels():
    return settings.PLUME_MEDIA_MAX_PIXELS


class TooManyPixels(Exception):
    pass


def rendition_widths():
    return sorted(set(settings.PLUME_IMAGE_WIDTHS))


def mime_type(image_format):
    return FORMATS[image_format][0]


class CleanImage:
    """An accepted upload: the bytes to store (without metadata), its format and size."""

    def __init__(self, content, image_format, width, height):
        self.content, self.format, self.width, self.height = content, image_format, width, height

    @property
    def extension(self):
        return FORMATS[self.format][1]

    @property
    def mime_type(self):
        return mime_type(self.format)


def clean_upload(uploaded):
    """`uploaded` (a Django File) as a `CleanImage`, or a ValidationError saying why not."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large: %(size)s MB, at most %(limit)s MB.")
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(limit)},
            code="too_large",
        )
    data = uploaded.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()  # the whole file is read: a truncated or forged one fails here
            image_format, (width, height) = probe.format, probe.size
        if width * height > max_pixels():
            # A few kilobytes of PNG can unpack to gigabytes: refused before decoding.
            raise TooManyPixels(width, height)
        image = Image.open(BytesIO(data))
        image.load()
    except TooManyPixels as error:
        raise ValidationError(
            _("The image is too large: %(width)s × %(height)s pixels, at most %(limit)s million.")
            % {"width": error.args[0], "height": error.args[1], "limit": max_pixels() // 1_000_000},
            code="too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many kinds for hostile or broken files: all mean "not an image"
        raise ValidationError(
            _("This file is not an image Plume can read (JPEG, PNG, WebP or GIF)."), code="not_an_image"
        ) from None
    if image_format not in FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted: JPEG, PNG, WebP or GIF only.") % {"format": image_format},
            code="format",
        )
    content, width, height = _without_metadata(image, image_format)
    return CleanImage(content, image_format, width, height)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _without_metadata(image, image_format):
    animated = getattr(image, "is_animated", False)
    if not animated:
        # Upright as the camera meant it; the orientation tag goes with the rest of the EXIF.
        image = ImageOps.exif_transpose(image)
    content = encode(image, image_format, save_all=animated)
    return content, image.width, image.height


def encode(image, image_format, *, save_all=False):
    """`image` in `image_format`, with no metadata but its colour profile and animation."""
    info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    image.info = {key: value for key, value in info.items() if key != "icc_profile"}
    options = {"icc_profile": info["icc_profile"]} if "icc_profile" in info else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=85, optimize=True, progressive=True)
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in info else "RGB")
        options.update(quality=80, method=4)
    elif image_format == "PNG":
        options.update(optimize=True)
    if save_all:
        options["save_all"] = True
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def make_renditions(name, *, storage=None, widths=None, square=False):
    """Write the renditions of the stored image `name`; returns their list, largest last.

    The original itself is listed at its own width (in its own format), so that a
    `srcset` offers it too. An animated image gets none: resizing would lose its frames.

    `widths` (PLUME_IMAGE_WIDTHS by default) and `square`: a centred square crop (avatars),
    as wide as the largest of `widths` at most (never upscaled), each width in the
    original's format and WebP; the original, not square, is then not listed.
    """
    storage = storage or default_storage
    with storage.open(name) as file, Image.open(file) as image:
        image.load()
        image_format = image.format
        if image_format not in FORMATS or getattr(image, "is_animated", False):
            return []
        image = ImageOps.exif_transpose(image)
    widths = sorted(set(widths)) if widths else rendition_widths()
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
    width, height = image.size
    stem = posixpath.join(RENDITIONS_DIR, posixpath.splitext(name)[0])
    largest = min(width, widths[-1]) if square and widths else width
    sizes = []
    for target in [*(w for w in widths if w < largest), largest]:
        target_height = max(1, round(height * target / width))
        resized = (
            image if target == width else image.resize((target, target_height), Image.Resampling.LANCZOS)
        )
        formats = [image_format, "WEBP"] if image_format != "WEBP" else ["WEBP"]
        if target == width and not square and image_format != "WEBP":
            sizes.append(_size(name, target, target_height, image_format))  # the stored file itself
            formats = ["WEBP"]
        for out_format in formats:
            path = f"{stem}-{target}w.{FORMATS[out_format][1]}"
            if storage.exists(path):
                storage.delete(path)
            path = storage.save(path, ContentFile(encode(resized.copy(), out_format)))
            sizes.append(_size(path, target, target_height, out_format))
    return sizes


def _size(name, width, height, image_format):
    return {"name": name, "width": width, "height": height, "type": mime_type(image_format)}


def renditions_of(record, name):
    """The recorded sizes (see `render_image`) if they are those of the image `name`, else []."""
    if not record or not name or record.get("source") != name:
        return []
    return record.get("sizes", [])


def needs_renditions(instance, field, record_field):
    file = getattr(instance, field)
    record = getattr(instance, record_field) or {}
    return bool(file) and record.get("source") != file.name


def enqueue_renditions(instance, field, record_field, *, widths=None, square=False):
    """After the commit, make the renditions of `instance`'s image `field` if it has none yet.

    `widths` and `square`: as `make_renditions` takes them (avatars: a few small squares).
    """
    if not needs_renditions(instance, field, record_field):
        return
    label, pk = instance._meta.label, instance.pk
    transaction.on_commit(
        lambda: render_image.enqueue(
            model=label,
            pk=pk,
            field=field,
            record_field=record_field,
            widths=list(widths) if widths else None,
            square=square,
        ),
        robust=True,
    )


@task()
def render_image(*, model, pk, field, record_field, widths=None, square=False):
    """Make the renditions of one object's image and record them on it (without a save)."""
    from core.api.caching import invalidate

    Model = apps.get_model(model)
    instance = Model._default_manager.filter(pk=pk).first()
    if instance is None or not needs_renditions(instance, field, record_field):
        return 0
    name = getattr(instance, field).name
    try:
        sizes = make_renditions(name, widths=widths, square=square)
    except Exception:  # a missing or unreadable file: the page shows the original alone
        logger.exception("Could not make the renditions of %s", name)
        sizes = []
    old = (getattr(instance, record_field) or {}).get("sizes", [])
    # Recorded only if the image is still the same: a newer upload asked for its own.
    Model._default_manager.filter(pk=pk, **{field: name}).update(
        **{record_field: {"source": name, "sizes": sizes}}
    )
    for size in old:
        if size["name"] != name and size["name"] not in {s["name"] for s in sizes}:
            default_storage.delete(size["name"])
    invalidate()
    return len(sizes)
