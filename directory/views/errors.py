"""Error handlers: a designed 500, and a 503 while the database is unreachable."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

# Errors that mean "the database is not there right now", not "our code is wrong".
_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, _UNAVAILABLE) or (
        isinstance(exc, DatabaseError) and "connect" in str(exc).lower()
    ):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
