"""Settings for staff editing: throttled login, history, import/export, renditions.

Plain assignments only, pulled into config/settings.py with:

    from config.settings_admin import *  # noqa: F403  (AXES_*, THUMBNAIL_*, IMPORT_EXPORT_* …)
    INSTALLED_APPS += ADMIN_APPS          # appended last: django_cleanup must stay last
    MIDDLEWARE += ADMIN_MIDDLEWARE        # appended last: AxesMiddleware must stay last

AUTHENTICATION_BACKENDS is defined here and replaces Django's default.
"""

from datetime import timedelta

ADMIN_APPS = [
    "axes",  # throttled admin login, failed attempts recorded (AccessAttempt, AccessFailureLog)
    "reversion",  # history of every change, restore from the admin
    "import_export",  # CSV / Excel import with preview, export
    "easy_thumbnails",  # renditions of photos
    "django_prose_editor",  # the rich-text editor's JS/CSS, served from its static files
    # Last, as its documentation asks: deletes replaced and deleted files after commit.
    "django_cleanup.apps.CleanupConfig",
]

# Appended to the end of MIDDLEWARE: AxesMiddleware turns a lockout into the lockout page.
ADMIN_MIDDLEWARE = ["axes.middleware.AxesMiddleware"]

# Axes' backend must come first: it refuses locked-out credentials before checking them.
# (A subclass that leaves request-less authenticate() calls, e.g. from the shell, to ModelBackend.)
AUTHENTICATION_BACKENDS = [
    "directory.auth_backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling. Five wrong passwords for one user name from one address lock that pair
# out for 30 minutes; a successful login resets the count. Attempts are kept in the database
# and listed (for superusers) in the admin under “Axes”.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failed attempt: who, when, from where
# Behind reverse proxies the address comes from X-Forwarded-For (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "directory.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "directory.auth_backends.throttled_username"

# Import and export (django-import-export): only users who may change a model import into
# it, only users who may view it export it. Every import runs in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits for the editor's confirmation in the shared cache, under a random
# name: never a path a posted form could point elsewhere, and any app server can confirm.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True  # no =HYPERLINK(...) surprises in Excel
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

# Renditions (easy-thumbnails). Made when a photo is saved in the admin and by
# `manage.py generate_renditions`; pages only look them up (directory/renditions.py).
THUMBNAIL_ALIASES = {
    "": {
        "thumbnail": {"size": (240, 160), "crop": True},
        "card": {"size": (640, 400), "crop": True},
        "medium": {"size": (800, 0), "crop": False},
        "full": {"size": (1600, 0), "crop": False},
        "og": {"size": (1200, 630), "crop": True, "upscale": True},
    }
}
THUMBNAIL_BASEDIR = "renditions"
THUMBNAIL_QUALITY = 85
THUMBNAIL_DEBUG = False
THUMBNAIL_CHECK_CACHE_MISS = True
