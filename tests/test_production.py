"""Production settings, checked in a fresh interpreter with the production environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-" + "k" * 60 + "-not-a-real-secret-0123456789",
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def run_python(code, env, tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.pop("CACHE_URL", None)
    environment.update(env)
    environment.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/robots.txt", secure=True, headers={"host": "portal.example"})
plain = client.get("/robots.txt", headers={"host": "portal.example"})
print(json.dumps({
    "headers": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
    "loaders": str(settings.TEMPLATES[0]["OPTIONS"].get("loaders")),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "admin_url": settings.ADMIN_URL,
    "page_cache": settings.PAGE_CACHE_ENABLED,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    result = run_python(PROBE, {**PROD_ENV, "DJANGO_ADMIN_URL": "backstage-7f3/"}, tmp)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_python("import django; django.setup()", env, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_security_headers(production):
    headers = production["headers"]
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no external host
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://portal.example/")


def test_cookies_and_connections(production):
    assert production["debug"] is False
    assert production["session_secure"] and production["session_httponly"]
    assert production["csrf_secure"]
    assert "cached.Loader" in production["loaders"]
    assert production["conn_max_age"] >= 60 and production["health"] is True
    assert "CompressedManifest" in production["storage"]


def test_no_page_cache_without_a_shared_cache(production, tmp_path):
    # Each worker's local memory would keep pages another worker's save made stale.
    assert production["page_cache"] is False
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.PAGE_CACHE_ENABLED)"
    shared = run_python(code, {**PROD_ENV, "CACHE_URL": "redis://127.0.0.1:6379/15"}, tmp_path)
    assert shared.stdout.strip().splitlines()[-1] == "True"


def test_admin_url_moves(production):
    assert production["admin_url"] == "backstage-7f3/"


def test_check_deploy_is_clean(tmp_path):
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        PROD_ENV,
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


WARM_PROBE = """
import json
from config.wsgi import application
from django.db import connections
from django.template import engines
from django.urls import get_resolver
loaders = engines["django"].engine.template_loaders
print(json.dumps({
    "connected": any(c.connection is not None for c in connections.all(initialized_only=True)),
    "templates": sum(len(loader.get_template_cache) for loader in loaders),
    "languages": sorted(get_resolver()._reverse_dict),
}))
"""


def test_wsgi_module_warms_up_before_workers_fork(tmp_path):
    """Importing config.wsgi (as gunicorn's master does) parses the templates and compiles
    the URL patterns for both languages, without opening a database connection that forked
    workers would share."""
    result = run_python(WARM_PROBE, PROD_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["connected"] is False
    assert probe["templates"] >= 30
    assert probe["languages"] == ["en", "zh-hans"]


def _gunicorn_config():
    import runpy

    return runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))


@pytest.mark.parametrize("code, leaves_at_once", [(0, True), (None, True), (3, False), (4, False)])
def test_gunicorn_worker_exit_skips_teardown_only_after_a_clean_exit(
    monkeypatch, code, leaves_at_once
):
    """A recycled worker leaves with os._exit(0) (no 0.5 s heap teardown before the master
    starts its replacement); boot and import errors keep their exit codes for the master."""
    import logging

    class Left(Exception):
        pass

    def fake_exit(status):
        raise Left(status)

    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(logging, "shutdown", lambda: None)
    worker_exit = _gunicorn_config()["worker_exit"]
    with pytest.raises((Left, SystemExit)) as outcome:
        try:
            raise SystemExit(code)
        finally:
            worker_exit(None, None)
    if leaves_at_once:
        assert outcome.type is Left and outcome.value.args == (0,)
    else:
        assert outcome.type is SystemExit and outcome.value.code == code


def test_gunicorn_answers_head_requests_without_a_warning(tmp_path):
    """HEAD gets the GET's headers and no body, and gunicorn logs no "body bytes on a
    no-body response" warning for it; GET is unchanged."""
    import http.client
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("CACHE_URL", None)
    environment.update(PROD_ENV)
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    headers = {"Host": "portal.example", "X-Forwarded-Proto": "https"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/robots.txt", headers=headers)
                got = connection.getresponse()
                body = got.read()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.3)
        assert got.status == 200 and body
        for _ in range(2):  # on the same connection: it stays usable after a HEAD
            connection.request("HEAD", "/robots.txt", headers=headers)
            head = connection.getresponse()
            assert head.status == 200 and head.read() == b""
            assert head.getheader("Content-Length") == str(len(body))
        connection.request("GET", "/robots.txt", headers=headers)
        assert connection.getresponse().read() == body
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "HEAD /robots.txt" in text  # the access log saw them
    assert "no-body response" not in text, text
