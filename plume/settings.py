"""
Plume settings: one module, configured by the environment only (12-factor).

Every variable is optional so that `make run` works on a fresh machine; the
README lists them. Production means DEBUG off, which turns the security
settings on unless the environment says otherwise.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_proxies(name):
    """A count of proxies ("2"), or a comma-separated list of proxy networks; 0 when unset."""
    value = os.environ.get(name, "").strip()
    if value.isdigit():
        return int(value)
    networks = env_list(name)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {network!r} is neither a count nor a network") from None
    return networks


# Core
DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a development key is used: `check --deploy` flags it (security.W009),
# and the README's production section requires setting one.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-plume-development-key-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
INTERNAL_IPS = ["127.0.0.1"]
# Who the client is (core/clients.py): REMOTE_ADDR unless the request came through these
# proxies, a count ("1") or networks ("10.0.0.0/8,192.0.2.7"), whose X-Forwarded-For is believed.
PLUME_TRUSTED_PROXIES = env_proxies("PLUME_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "corsheaders",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "markdownx",
    "rest_framework",
    "rest_framework.authtoken",
    "core",
    "authors",
    "blog",
    "comments",
    "wordpress",
    "plume.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.errors.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After CORS and locale, so the 400 is readable cross-origin and in the reader's language.
    "core.errors.AddressCheckMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "wordpress.middleware.WordPressIdRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plume.urls"
SITE_ID = 1
WSGI_APPLICATION = "plume.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blog.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default so `make run` needs nothing.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; CACHE_URL=redis://host:6379/0 for several servers.
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: console by default; EMAIL_URL=smtp://user:pass@host:587/?tls=1 in production.
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.startswith(("smtp://", "smtps://")):
    from urllib.parse import parse_qs, unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    _email_options = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email_options.get("tls", ["0"])[0] in {"1", "true"}
elif EMAIL_URL.startswith("locmem://"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Plume <noreply@localhost>")

# Authentication: django-axes sees every login attempt first (brute-force protection).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization: French first, English shipped.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# Static and media files
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security: secure by default when DEBUG is off. SECURE_SSL_REDIRECT=0 serves plain
# HTTP behind a TLS-terminating proxy (which should then set X-Forwarded-Proto).
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Request size: a larger body is refused with 413 (see plume.views).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))

# django-axes: lock a username from an address after repeated failed logins.
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the throttles and the comment rules (core/clients.py).
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"

# django-cors-headers
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
# Readable by a frontend's JavaScript on another origin (Last-Modified already is).
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# django-csp: only the site's own scripts run. Inline styles stay allowed for the
# admin's widgets; images may come from elsewhere (imported featured images).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "base-uri": [SELF],
        "connect-src": [SELF],
        "default-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "img-src": [SELF, "data:", "https:"],
        "object-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}

# django-markdownx: the preview goes through Plume's sanitizing pipeline.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markdown.render"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 10 * 1024 * 1024

# Django REST framework
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not logged in" a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    # JSON in, JSON out: one unambiguous body format for every client (and CORS preflights it).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON only: the browsable API would make cached anonymous answers depend on Accept.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PlumeAutoSchema",
    # DRF's own throttles, but counting clients by core.clients.client_ip.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("PLUME_THROTTLE_ANON", "600/min"),
        "user": os.environ.get("PLUME_THROTTLE_USER", "1200/min"),
        "comments": os.environ.get("PLUME_THROTTLE_COMMENTS", "10/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "PAGE_SIZE": 10,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# drf-spectacular
SPECTACULAR_SETTINGS = {
    "TITLE": "Plume API",
    "DESCRIPTION": (
        "Read the blog, post comments and moderate from any frontend. "
        "Authenticate with a session or `Authorization: Token <key>` (tokens are issued in the admin). "
        "Every error has the same JSON shape (`Error`). GET answers carry ETag and Last-Modified and "
        "answer 304 to a matching If-None-Match or If-Modified-Since."
    ),
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PostStatusEnum": "blog.models.Status",
        "CommentStatusEnum": "comments.models.Comment.Status",
        "CommentCreatedStatusEnum": [("approved", "approved"), ("pending", "pending")],
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.forbid_nul_in_addresses",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Plume: API. Anonymous GET answers are public and cached this long (seconds).
PLUME_API_CACHE_SECONDS = int(os.environ.get("PLUME_API_CACHE_SECONDS", "60"))

# Plume: blog
PLUME_POSTS_PER_PAGE = int(os.environ.get("PLUME_POSTS_PER_PAGE", "10"))
PLUME_SITE_NAME = os.environ.get("PLUME_SITE_NAME", "Plume")
PLUME_SITE_DESCRIPTION = os.environ.get(
    "PLUME_SITE_DESCRIPTION", "Un blog éditorial sur l’intelligence artificielle et le numérique."
)
PLUME_WORDS_PER_MINUTE = 230

# Plume: comments (see comments/moderation.py)
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "0")) or None
COMMENTS_DEFAULT_STATUS = os.environ.get("COMMENTS_DEFAULT_STATUS", "pending")
COMMENTS_FLOOD_SECONDS = int(os.environ.get("COMMENTS_FLOOD_SECONDS", "15"))
COMMENTS_MAX_DEPTH = int(os.environ.get("COMMENTS_MAX_DEPTH", "5"))
COMMENTS_MAX_LINKS = int(os.environ.get("COMMENTS_MAX_LINKS", "2"))
COMMENTS_MIN_SUBMIT_SECONDS = int(os.environ.get("COMMENTS_MIN_SUBMIT_SECONDS", "3"))
# A form token is refused after this long (as django-contrib-comments' COMMENTS_TIMEOUT), and once used.
COMMENTS_TOKEN_MAX_AGE = int(os.environ.get("COMMENTS_TOKEN_MAX_AGE", str(2 * 3600)))
# In order; the first rule with a verdict decides. Refusals come first (nothing stored).
COMMENTS_MODERATION_RULES = [
    "comments.moderation.closed_comments",
    "comments.moderation.expired_or_used_token",
    "comments.moderation.flood",
    "comments.moderation.honeypot",
    "comments.moderation.form_timestamp",
    "comments.moderation.blocked_words",
    "comments.moderation.moderation_words",
    "comments.moderation.too_many_links",
    "comments.moderation.staff_address",
    "comments.moderation.known_author",
    "comments.moderation.default_status",
]
COMMENTS_REPORTS_TO_HIDE = int(os.environ.get("COMMENTS_REPORTS_TO_HIDE", "3"))
# Reports one address may send in an hour (comments.services.reports).
COMMENTS_REPORTS_PER_HOUR = int(os.environ.get("COMMENTS_REPORTS_PER_HOUR", "10"))

# Plume: benchmarks (bench/). PLUME_BENCH=1 mounts the baseline endpoint; never in production.
PLUME_BENCH = env_bool("PLUME_BENCH", False)
