"""Settings for the 重庆高职城 portal, read from the environment.

Local development needs no variables at all (DEBUG on, SQLite file). A demo on this machine
sets DJANGO_DEMO=1 (the README's serve command): the site then behaves as in production (its own
error pages, no tracebacks) yet still needs nothing else. Production sets DJANGO_DEBUG=0 and
must then provide DJANGO_SECRET_KEY, or the project refuses to start.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# A demo on this machine: DEBUG off, so visitors see the site's own 404, 500 and 503 pages
# and never a traceback, templates are cached as in production; and still the local
# conveniences below (plain HTTP, local host names, the development key, Django serving
# static files and media). Not for a server others reach: `check --deploy` fails on it.
DEMO = env_bool("DJANGO_DEMO", default=False)
DEBUG = env_bool("DJANGO_DEBUG", default=not DEMO)
# Development or a demo: this machine only.
LOCAL = DEBUG or DEMO

SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the site refuses to start "
            "without a real secret key: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and export it."
        )
    # Development only: a per-checkout key that never leaves this machine.
    SECRET_KEY = "dev-only-insecure-key-" + str(BASE_DIR)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if LOCAL else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "directory",
]

MIDDLEWARE = [
    # Outermost: compresses whatever the page cache did not store compressed already.
    "directory.middleware.GZipMiddleware",
    # Before everything else, so a hit skips the whole chain; the security and CSP headers
    # of the original response are stored with the page and replayed.
    "directory.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "directory.middleware.RejectControlCharactersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "directory.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Staff editing: throttled login, history, import/export, renditions, rich text.
from config.settings_admin import *  # noqa: E402, F403

INSTALLED_APPS += ADMIN_APPS  # noqa: F405  (last: django_cleanup must come last)
MIDDLEWARE += ADMIN_MIDDLEWARE  # noqa: F405  (last: AxesMiddleware must come last)

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections in production, checked before reuse.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", default=0 if LOCAL else 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded media is the reverse proxy's job in production; Django serves it in development
# and demos, and where no proxy stands in front (benchmarks): DJANGO_SERVE_MEDIA=1.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=LOCAL)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed names are cached for ever by WhiteNoise itself; this is for unhashed ones, which the
# error pages use (they must render without the manifest) and which change with a release.
WHITENOISE_MAX_AGE = 600
# Without collectstatic (development, demos) WhiteNoise finds the files where they are, as
# they change, and does not look for STATIC_ROOT.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = LOCAL

CACHE_URL = env_str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, keeping one client per server (see the module).
            "BACKEND": "directory.redis_cache.ReusedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="gzc"),
            # A Redis that hangs must not hang the site: give up quickly and serve uncached.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for anonymous visitors come from the cache (directory.middleware).
# Only with a shared cache in production: each gunicorn worker's own memory would keep
# serving pages that another worker's admin save made stale.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", default=bool(CACHE_URL) or LOCAL)
# With Redis, each process also keeps the pages it served, up to this many MB, and learns of
# content changes by pub/sub (directory.generation_watch); 0 turns that off. 8 MB holds a
# few hundred of the most visited pages (plain and gzipped) and stays within a tenth of a
# worker's ~115 MB; Redis has the rest.
PAGE_CACHE_LOCAL_BYTES = env_int("DJANGO_PAGE_CACHE_LOCAL_MB", default=8) * 1024 * 1024

# Security. The CSP allows nothing inline and no other host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Eight hours from the last request, not from the login: an editor busy all day is not sent
# to the login page (losing the form being saved) while still at work. Only sessions in use
# are saved; visitors have none.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if not LOCAL:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if not DEBUG:
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

# Where the admin lives can be moved, so it is not found by guessing.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"
# Where a staff login lands when its ?next= is missing or points elsewhere (not /accounts/).
LOGIN_REDIRECT_URL = "admin:index"

# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# client connects directly). Login throttling reads the client's address through them.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", default=0)

# Site-specific settings.
ICP_NUMBER = env_str("DJANGO_ICP_NUMBER", default="")
SITE_URL = env_str("DJANGO_SITE_URL", default="").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Without its own handlers: Django's console handler (debug only) printed each message
        # a second time beside the root's.
        "django": {"handlers": [], "level": "INFO"},
        # Scanners send other Host headers all day; each is a 400, and a traceback in the log.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
