"""Login throttling (django-axes) for logins over HTTP.

Axes' backend refuses to run without the request it throttles on. Logins that have none —
`authenticate()` from the shell, a management command or a test — are not password guessing
over the network, so this backend simply leaves them to the next one (ModelBackend).
"""

from axes.backends import AxesStandaloneBackend
from axes.conf import settings


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def throttled_username(request, credentials=None):
    """The user name that login throttling records, cut to what its columns hold (255).

    Django's login form sets no length check on the user name, so any length reaches axes;
    PostgreSQL refused to store a longer one, and the failed login became a 500.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials or getattr(request, "POST", {})
    return (source.get(field) or "")[:255]
