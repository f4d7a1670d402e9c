"""The visitor's address, for login throttling and its log.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so every login would count
against one address. With ``TRUSTED_PROXY_COUNT = n`` (``DJANGO_TRUSTED_PROXIES``) the
address is the n-th entry of X-Forwarded-For counted from the right: each trusted proxy
appends the address it was reached from, and entries further left are whatever the client
sent, so they are never believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote  # not through the expected chain of proxies
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
