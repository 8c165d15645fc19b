"""Settings for the test suite: fast, self-contained, same database choice as the environment."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

# Uploaded files (the demo's featured images, avatars) go to a folder of the run, never the tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="plume-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# The brute-force test turns django-axes on; elsewhere `client.login()` must work without a request.
AXES_ENABLED = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, inside the test; tests of the real queue choose the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
# Manifest storage needs collectstatic; tests render admin pages without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
