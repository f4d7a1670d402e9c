import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class _HeadersOnly:
    """What a HEAD request gets: the headers the GET would have, no body (RFC 9110 §9.3.2).

    Django leaves the body in and lets the server drop it; gunicorn does, with a warning in
    the log for every HEAD request (monitors, link checkers, crawlers send plenty). The
    response is still closed, so Django's request_finished runs (connections go back).
    """

    def __init__(self, response):
        self._response = response

    def __iter__(self):
        return iter(())

    def close(self):
        close = getattr(self._response, "close", None)
        if close is not None:
            close()


def without_body_for_head(wsgi_app):
    def application(environ, start_response):
        response = wsgi_app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return _HeadersOnly(response)
        return response

    return application


application = without_body_for_head(get_wsgi_application())

from directory.warmup import warm_up  # noqa: E402  (needs the app set up)

warm_up()
