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
