"""The media library: upload, change and delete images. The API and the admin call these alike."""

import posixpath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.images import clean_upload, enqueue_renditions

from ..models import Media
from ..permissions import can_change_media, can_delete_media, can_upload_media

EDITABLE = ("alt_text", "caption")


@transaction.atomic
def media_create(*, by, file, alt_text="", caption=""):
    """
    A new image uploaded by `by`: refused (ValidationError on `file`) unless its
    content is a JPEG, PNG, WebP or GIF within the size limit; stored without its
    metadata, under a name of its own with the extension of what it really is.
    Its renditions are made in the background once the upload is committed.
    """
    if not can_upload_media(by):
        raise PermissionDenied(_("You are not allowed to upload images."))
    try:
        image = clean_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    stem = slugify(posixpath.splitext(posixpath.basename(file.name or ""))[0])[:80] or "image"
    media = Media(
        alt_text=alt_text,
        caption=caption,
        width=image.width,
        height=image.height,
        mime_type=image.mime_type,
        size=len(image.content),
        uploaded_by=by,
    )
    media.file.save(f"{stem}.{image.extension}", ContentFile(image.content), save=False)
    media.save()
    enqueue_renditions(media, "file", "renditions")
    return media


@transaction.atomic
def media_update(*, media, by, **fields):
    """Change `media`'s alternative text or caption (the image itself is never replaced)."""
    if not can_change_media(by, media):
        raise PermissionDenied(_("You may only change your own images."))
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(media, name, value)
    media.save(update_fields=[*fields])
    return media


@transaction.atomic
def media_delete(*, media, by):
    """Delete `media` and, once that is committed, its file and renditions."""
    if not can_delete_media(by, media):
        raise PermissionDenied(_("You may only delete your own images."))
    names = [media.file.name, *(size["name"] for size in (media.renditions or {}).get("sizes", []))]
    media.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in set(names)], robust=True)
