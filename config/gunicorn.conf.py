"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks cannot grow without bound; not so often that
# each worker's local page copies and connections are rebuilt every few seconds at peak
# (a worker serves ~2,000 cached pages a second). 0 turns it off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 200_000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True


def worker_exit(server, worker):
    """After a clean exit (recycled or stopped), leave without tearing the interpreter down.

    Freeing a worker's heap (pypinyin's phrase dictionaries, Django's apps) takes ~0.5 s and
    touches every page shared with the master; the master only starts the replacement once
    the old worker is gone, so each recycle stalled a worker's share of requests for that
    long (p99 spikes under load). The kernel reclaims memory at once. Other exit codes (boot
    and import errors, which the master acts on) take the normal path.
    """
    import logging
    import sys

    error = sys.exc_info()[1]
    if not isinstance(error, SystemExit) or error.code not in (0, None):
        return
    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
