"""
Plume settings: one module, configured by the environment only (12-factor).

Every variable is optional so that `make run` works on a fresh machine; the
README lists them. Production means DEBUG off, which turns the security
settings on unless the environment says otherwise.
"""

from pathlib import Path

from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from comments import conf as comments_conf
from core.clients import trusted_proxies

from .environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent

# Strict django-environ: a value it cannot read (DEBUG=ture, CACHE_URL=memcached://...)
# stops start-up with ImproperlyConfigured naming the variable.
env = Env()

# Core
DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY a development key is used: `check --deploy` flags it (security.W009),
# and the README's production section requires setting one.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-plume-development-key-only")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
INTERNAL_IPS = ["127.0.0.1"]
# Who the client is (core/clients.py): REMOTE_ADDR unless the request came through these
# proxies, a count ("1") or networks ("10.0.0.0/8,192.0.2.7"), whose X-Forwarded-For is believed.
PLUME_TRUSTED_PROXIES = trusted_proxies(env.list("PLUME_TRUSTED_PROXIES", default=[]))

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
    "django_tasks",
    "django_tasks_db",
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
    "webhooks",
    "plume.api",
]

MIDDLEWARE = [
    # First, so that every response carries it, whichever middleware answers.
    "core.headers.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost but security: it sees every request and the final status of every write.
    "plume.db_router.ReadYourWritesMiddleware",
    "core.errors.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Above the session middleware, so it can drop the Vary: Cookie added there (core/surrogate.py).
    "core.surrogate.SharedCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plume.language.SiteLanguageMiddleware",
    # After CORS and locale, so the 400 is readable cross-origin and in the reader's language.
    "core.errors.AddressCheckMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Below CSRF so that it still sees whether the page carries a token (see plume.compression).
    "plume.compression.BreachSafeGZipMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside the fallback: the 404 of a hidden post's /?p=ID must not find the importer's redirect.
    "wordpress.middleware.WordPressIdRedirectMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "wordpress.middleware.ApiDiscoveryLinkMiddleware",
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
                "core.context_processors.site_settings",
                "blog.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default so `make run` needs nothing. DATABASE_REPLICA_URLS
# (comma-separated) adds read replicas: plume/db_router.py sends reads there, writes and
# migrations to the primary, and a client that just wrote back to the primary for
# PLUME_READ_PRIMARY_SECONDS.
_CONNECTION = {
    "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
    "CONN_HEALTH_CHECKS": True,
}
DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        **_CONNECTION,
    }
}
for _number, _replica in enumerate(env.db_urls("DATABASE_REPLICA_URLS", default=[]), start=1):
    # The test runner makes no database for a replica: it reads the primary's.
    DATABASES[f"replica{_number}"] = {**_replica, **_CONNECTION, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["plume.db_router.PrimaryReplicaRouter"]
PLUME_READ_PRIMARY_SECONDS = env.int("PLUME_READ_PRIMARY_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; CACHE_URL=redis://host:6379/0 for several servers.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmem://")}
if CACHES["default"]["BACKEND"] == "core.cache.RedisCache":
    # django-redis that serves uncached, never a 500, when Redis is unreachable (core.cache).
    CACHES["default"]["OPTIONS"] = {
        # Fail fast: a Redis on the local network answers in a millisecond.
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.5,
        # While it is down, ask it again this often (seconds).
        "RETRY_SECONDS": 5,
        # The URL's own options (`?socket_timeout=2`) win.
        **CACHES["default"].get("OPTIONS", {}),
    }

# E-mail: every message goes through the task queue (core/mail.py), which sends it
# in the background with the backend EMAIL_URL names: console by default,
# smtp://user:pass@host:587/?tls=1 in production.
_EMAIL = env.email_url("EMAIL_URL", default="console://")
PLUME_EMAIL_DELIVERY_BACKEND = _EMAIL.pop("EMAIL_BACKEND")
EMAIL_HOST = _EMAIL["EMAIL_HOST"]
EMAIL_PORT = _EMAIL["EMAIL_PORT"]
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
# A dead SMTP server holds a worker this long at most, never a request.
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = "core.mail.TaskEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Plume <noreply@localhost>")
# Attempts at sending one message, the first retry after PLUME_EMAIL_RETRY_SECONDS,
# each next one twice as late.
PLUME_EMAIL_MAX_ATTEMPTS = env.int("PLUME_EMAIL_MAX_ATTEMPTS", default=6)
PLUME_EMAIL_RETRY_SECONDS = env.int("PLUME_EMAIL_RETRY_SECONDS", default=30)

# Background work (django-tasks): the database backend by default, run by
# `manage.py db_worker` (`make run` starts one); TASKS_URL=redis://host:6379/1 puts the
# queue in Redis, run by `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler`
# on as many machines as needed; immediate:// runs each task inside the request (tests).
_TASKS_URL = env.str("TASKS_URL", default="database://")
_TASKS_SCHEME = _TASKS_URL.partition("://")[0]
if _TASKS_SCHEME == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif _TASKS_SCHEME == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif _TASKS_SCHEME in ("redis", "rediss"):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": _TASKS_URL}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TASKS_URL: unknown scheme {_TASKS_SCHEME!r} (expected one of: database, immediate, redis, rediss)"
    )

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
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# Static and media files
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Security: secure by default when DEBUG is off. SECURE_SSL_REDIRECT=0 serves plain
# HTTP behind a TLS-terminating proxy (which should then set X-Forwarded-Proto).
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("SECURE_PROXY_SSL_HEADER", default=False) else None
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, off for every page (core.headers); [] means
# "nobody", ["self"] would allow the site itself. Only features Chromium knows, so that
# no console warning hides a real problem.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
        "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Request size: a larger body is refused with 413 (see plume.views).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
# Images (core.images, blog media): the largest upload, and the widths of the renditions made.
PLUME_MEDIA_MAX_BYTES = env.int("PLUME_MEDIA_MAX_BYTES", default=10 * 1024 * 1024)
PLUME_MEDIA_MAX_PIXELS = env.int("PLUME_MEDIA_MAX_PIXELS", default=50_000_000)
# Where an image upload may exceed DATA_UPLOAD_MAX_MEMORY_SIZE (core.errors.body_limit).
PLUME_UPLOAD_PATHS = ["/api/v1/media/", "/admin/blog/media/"]
PLUME_IMAGE_WIDTHS = [
    int(width) for width in env.list("PLUME_IMAGE_WIDTHS", default=["480", "800", "1200", "1600"])
]
# Avatars' renditions: square, shown at 88 CSS pixels, so these widths cover 1× to 3× screens.
PLUME_AVATAR_WIDTHS = [int(width) for width in env.list("PLUME_AVATAR_WIDTHS", default=["64", "128", "256"])]

# django-axes: lock a username from an address after repeated failed logins.
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the throttles and the comment rules (core/clients.py).
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"

# django-cors-headers
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# The WordPress-compatible API is read cross-origin too, by frontends written for WordPress.
CORS_URLS_REGEX = r"^/(api|wp-json)/.*$"
# Readable by a frontend's JavaScript on another origin (Last-Modified already is).
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-WP-Total", "X-WP-TotalPages", "Link"]
# A reader's application edits or deletes their comment with its edit token (comments/api/reader.py).
CORS_ALLOW_HEADERS = (*cors_default_headers, "x-comment-edit-token")

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
        "anon": env.str("PLUME_THROTTLE_ANON", default="600/min"),
        "user": env.str("PLUME_THROTTLE_USER", default="1200/min"),
        "comments": env.str("PLUME_THROTTLE_COMMENTS", default="10/min"),
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

# Plume: API. Anonymous GET answers are public for browsers and proxies this long (seconds).
PLUME_API_CACHE_SECONDS = env.int("PLUME_API_CACHE_SECONDS", default=60)
# The response cache (core/caching.py): an anonymous page, feed, sitemap or API answer is
# kept in the Django cache this long at most (seconds; any content change ends it sooner).
# 0 keeps none: every answer is rendered (validators and 304s still work).
PLUME_RESPONSE_CACHE_SECONDS = env.int("PLUME_RESPONSE_CACHE_SECONDS", default=60)

# Plume: HTTP caches in front (Varnish, a CDN; deploy/varnish/plume.vcl, core/surrogate.py).
# Public pages: browsers revalidate at once by default (a reader who signs in or comments
# must see their own view); shared caches keep them PLUME_CACHE_SHARED_SECONDS, serve
# them stale while refetching, or while the site is down.
PLUME_CACHE_BROWSER_SECONDS = env.int("PLUME_CACHE_BROWSER_SECONDS", default=0)
PLUME_CACHE_SHARED_SECONDS = env.int("PLUME_CACHE_SHARED_SECONDS", default=300)
PLUME_CACHE_STALE_WHILE_REVALIDATE = env.int("PLUME_CACHE_STALE_WHILE_REVALIDATE", default=30)
PLUME_CACHE_STALE_IF_ERROR = env.int("PLUME_CACHE_STALE_IF_ERROR", default=86400)
# Cookies that make a page the reader's own (session, flash messages, the commenter's
# remembered name, the edit tokens of their last comments): never public. The VCL passes the same list.
PLUME_PRIVATE_COOKIES = ["sessionid", "messages", "comment_author", "comment_edit"]
# Cache servers to purge by surrogate key (comma-separated), e.g. http://127.0.0.1:6081/.
PLUME_PURGE_URLS = env.list("PLUME_PURGE_URLS", default=[])
PLUME_PURGE_TIMEOUT = env.float("PLUME_PURGE_TIMEOUT", default=2.0)
PLUME_PURGE_MAX_ATTEMPTS = env.int("PLUME_PURGE_MAX_ATTEMPTS", default=5)
PLUME_PURGE_RETRY_SECONDS = env.int("PLUME_PURGE_RETRY_SECONDS", default=5)

# Plume: blog
PLUME_POSTS_PER_PAGE = env.int("PLUME_POSTS_PER_PAGE", default=10)
# The site's name and tagline when its SiteSettings row is first created; then the admin's.
# Revisions `manage.py prune_revisions` keeps per post and page (besides every published
# version); 0 keeps them all, the default.
PLUME_REVISIONS_KEEP = env.int("PLUME_REVISIONS_KEEP", default=0)
# Preview links (blog.previews): how long a new one lasts by default, and a separate
# frontend's preview address, e.g. https://www.example.org/api/preview?slug={slug}&token={token}
# ({kind} is "post" or "page"); empty: Plume's own /preview/<token>/. With it, the admin's
# "View on site" of a post or page opens the frontend through a link of
# PLUME_PREVIEW_VIEW_MINUTES.
PLUME_PREVIEW_DAYS = env.int("PLUME_PREVIEW_DAYS", default=7)
PLUME_PREVIEW_URL = env.str("PLUME_PREVIEW_URL", default="").strip()
PLUME_PREVIEW_VIEW_MINUTES = env.int("PLUME_PREVIEW_VIEW_MINUTES", default=60)
# The admin's editorial desk (blog/desk_admin.py): how often an open form autosaves when
# its text changed, how often it says it is still open, and when an editor not heard
# from is no longer shown as present.
PLUME_AUTOSAVE_SECONDS = env.int("PLUME_AUTOSAVE_SECONDS", default=30)
PLUME_PRESENCE_HEARTBEAT_SECONDS = env.int("PLUME_PRESENCE_HEARTBEAT_SECONDS", default=20)
PLUME_PRESENCE_SECONDS = env.int("PLUME_PRESENCE_SECONDS", default=60)
PLUME_SITE_NAME = env.str("PLUME_SITE_NAME", default="Plume")
# The origin of every absolute URL (feeds, sitemap, canonical links, API, e-mails), e.g.
# https://blog.example.fr; empty: the host each request came to (see core.links).
PLUME_SITE_URL = env.str("PLUME_SITE_URL", default="").strip().rstrip("/")
PLUME_SITE_DESCRIPTION = env.str(
    "PLUME_SITE_DESCRIPTION", default="Un blog éditorial sur l’intelligence artificielle et le numérique."
)
PLUME_WORDS_PER_MINUTE = 230
# `manage.py import_wordpress`: worker processes converting and rendering bodies (empty: one
# per CPU but one, at least one; 0: none, all in the importing process), used for files of at
# least PLUME_IMPORT_POOL_MIN_BYTES (wordpress.importer.conversion).
PLUME_IMPORT_WORKERS = env.int("PLUME_IMPORT_WORKERS", default=None)
PLUME_IMPORT_POOL_MIN_BYTES = env.int("PLUME_IMPORT_POOL_MIN_BYTES", default=5_000_000)

# Plume: comments. The app declares its settings and defaults (comments/conf.py);
# the environment overrides any of them, read with the type declared there.
for _name, (_cast, _default) in comments_conf.SETTINGS.items():
    if env.str(_name, default=""):
        globals()[_name] = env.get_value(_name, cast=_cast)

# Webhooks (webhooks/, README "Webhooks"): saves of one object within this many seconds
# are one delivery; the receiver's connection and each read time out after
# PLUME_WEBHOOK_TIMEOUT_SECONDS; failures are retried after each of these delays (about a
# day in all); loopback and private addresses are refused unless allowed.
PLUME_WEBHOOK_DEBOUNCE_SECONDS = env.int("PLUME_WEBHOOK_DEBOUNCE_SECONDS", default=5)
PLUME_WEBHOOK_TIMEOUT_SECONDS = env.float("PLUME_WEBHOOK_TIMEOUT_SECONDS", default=5.0)
PLUME_WEBHOOK_RETRY_SECONDS = [
    int(delay)
    for delay in env.list(
        "PLUME_WEBHOOK_RETRY_SECONDS", default=["30", "120", "600", "3600", "10800", "21600", "43200"]
    )
]
PLUME_WEBHOOK_ALLOW_PRIVATE = env.bool("PLUME_WEBHOOK_ALLOW_PRIVATE", default=False)

# Plume: benchmarks (bench/). PLUME_BENCH=1 mounts the baseline endpoint; never in production.
PLUME_BENCH = env.bool("PLUME_BENCH", default=False)
