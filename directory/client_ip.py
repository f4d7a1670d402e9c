"""The visitor's address, for login throttling and its log.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so every login would count
against one address. With ``TRUSTED_PROXY_COUNT = n`` (``DJANGO_TRUSTED_PROXIES``) the
address is the n-th entry of X-Forwarded-For counted from the right: each trusted proxy
appends the address it was reached from, and entries further left are whatever the client
sent, so they are never believed. With two or more trusted proxies, the app must be
reachable only through them, or a client could choose the address that is counted.
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
    try:
        return str(ipaddress.ip_address(_without_port(hops[-count])))
    except ValueError:
        return remote


def _without_port(hop):
    """Some balancers write 203.0.113.7:51234 or [2001:db8::1]:443."""
    if hop.startswith("["):
        return hop[1:].partition("]")[0]
    if hop.count(":") == 1:
        return hop.partition(":")[0]
    return hop
