"""Login throttling (django-axes) for logins over HTTP.

Axes' backend refuses to run without the request it throttles on. Logins that have none —
`authenticate()` from the shell, a management command or a test — are not password guessing
over the network, so this backend simply leaves them to the next one (ModelBackend).
"""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
