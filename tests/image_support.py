"""Small images made with Pillow for the upload and rendition tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def image_bytes(width=60, height=40, image_format="JPEG", *, exif=None, colour=(200, 30, 30)):
    image = Image.new("RGB", (width, height), colour)
    # The left third is black: it shows which way the image was turned.
    image.paste((0, 0, 0), (0, 0, width // 3, height))
    buffer = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0)}
    return exif.tobytes()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
