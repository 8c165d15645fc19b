"""
The environment reader `plume/settings.py` uses: django-environ, made strict.

django-environ reads `DEBUG=ture` as off, an unknown database scheme as an
engine of that name, a value starting with `$` as the name of another variable,
and says "Invalid cache schema" without naming the variable. Here a value that
cannot be read stops start-up with ImproperlyConfigured naming the variable, and
the URL schemes Plume has always accepted (`locmem://`, `dummy://`,
`console://`, `smtps://` for implicit TLS) keep their meaning.
"""

from urllib.parse import parse_qs, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

NOTSET = environ.Env.NOTSET


class Env(environ.Env):
    BOOLEAN_TRUE_STRINGS = ("1", "true", "yes", "on", "y")
    BOOLEAN_FALSE_STRINGS = ("0", "false", "no", "off", "n")

    # Only the engines Plume ships a driver for.
    DB_SCHEMES = {
        "postgres": environ.Env.DB_SCHEMES["postgres"],
        "postgresql": environ.Env.DB_SCHEMES["postgresql"],
        "pgsql": environ.Env.DB_SCHEMES["pgsql"],
        "sqlite": environ.Env.DB_SCHEMES["sqlite"],
    }
    CACHE_SCHEMES = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "locmemcache": "django.core.cache.backends.locmem.LocMemCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
        "dummycache": "django.core.cache.backends.dummy.DummyCache",
        # django-redis, answering as an empty cache while Redis is unreachable.
        "redis": "core.cache.RedisCache",
        "rediss": "core.cache.RedisCache",
    }
    EMAIL_SCHEMES = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "consolemail": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "memorymail": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "dummymail": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    }
    # Query options an SMTP URL may carry (`?tls=1` was Plume's first spelling).
    EMAIL_OPTIONS = {"tls": "EMAIL_USE_TLS", "ssl": "EMAIL_USE_SSL", "timeout": "EMAIL_TIMEOUT"}

    def get_value(self, var, cast=None, default=NOTSET, parse_default=False):
        # An empty variable is an unset one (`DEBUG= make run`), as Plume always read it.
        # No `$OTHER` indirection (django-environ's proxies): a secret may start with `$`.
        value = self.ENVIRON.get(var, "")
        if value == "":
            if default is NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable")
            return default
        try:
            return self.parse_value(value, cast)
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"{var}: {error}") from error

    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool:
            word = str(value).strip().lower()
            if word in cls.BOOLEAN_TRUE_STRINGS:
                return True
            if word in cls.BOOLEAN_FALSE_STRINGS:
                return False
            raise ValueError(f"{value!r} is not a boolean (use 1 or 0, true or false, yes or no, on or off)")
        return super().parse_value(value, cast)

    def list(self, var, cast=None, default=NOTSET):
        return [item.strip() for item in super().list(var, cast=cast, default=default) if item.strip()]

    def _scheme(self, var, url, schemes):
        scheme = urlsplit(url).scheme
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{var}: unknown scheme {scheme!r} in {redact(url)!r} (expected one of: {', '.join(schemes)})"
            )

    def db_url(self, var="DATABASE_URL", default=NOTSET, engine=None):
        return self._database(var, self.str(var, default=default), engine)

    def db_urls(self, var, default=NOTSET):
        """A comma-separated list of database URLs (read replicas), as database settings."""
        return [self._database(var, url, None) for url in self.list(var, default=default)]

    def _database(self, var, url, engine):
        self._scheme(var, url, self.DB_SCHEMES)
        return self.db_url_config(url, engine=engine)

    def cache_url(self, var="CACHE_URL", default=NOTSET, backend=None):
        url = self.str(var, default=default)
        self._scheme(var, url, self.CACHE_SCHEMES)
        try:
            return self.cache_url_config(url, backend=backend)
        except ValueError as error:
            raise ImproperlyConfigured(f"{var}: {error}") from error

    def email_url(self, var="EMAIL_URL", default=NOTSET, backend=None):
        """The Django EMAIL_* settings an e-mail URL names, as a dict."""
        url = self.str(var, default=default)
        self._scheme(var, url, self.EMAIL_SCHEMES)
        parts = urlsplit(url)
        config = self.email_url_config(parts._replace(query="").geturl(), backend=backend)
        config.pop("EMAIL_FILE_PATH")
        # smtps:// is implicit TLS on 465 in Plume (django-environ reads it as STARTTLS).
        if parts.scheme == "smtps":
            config.update(EMAIL_USE_TLS=False, EMAIL_USE_SSL=True)
        config["EMAIL_HOST"] = config["EMAIL_HOST"] or "localhost"
        config["EMAIL_PORT"] = config["EMAIL_PORT"] or (465 if config.get("EMAIL_USE_SSL") else 25)
        for key, values in parse_qs(parts.query, keep_blank_values=True).items():
            if key not in self.EMAIL_OPTIONS:
                raise ImproperlyConfigured(
                    f"{var}: unknown option {key!r} (expected one of: {', '.join(self.EMAIL_OPTIONS)})"
                )
            setting = self.EMAIL_OPTIONS[key]
            try:
                config[setting] = (
                    int(values[0]) if setting == "EMAIL_TIMEOUT" else self.parse_value(values[0], bool)
                )
            except ValueError as error:
                raise ImproperlyConfigured(f"{var}: option {key}: {error}") from error
        return config


def redact(url):
    """`url` without its password, for an error message."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url
