"""Uploaded files, where Django serves them itself (DJANGO_SERVE_MEDIA: demos, no proxy)."""

import errno

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def serve_media(request, path):
    """Django's static ``serve()`` from MEDIA_ROOT as it is now (tests move it).

    A name longer than the file system allows is a file that is not there: the file system
    refuses to look it up at all, and ``serve()`` would let that error become a 500.
    """
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        raise Http404 from None
