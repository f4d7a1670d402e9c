"""The README's serve command, as a new user runs it: the site as visitors see production.

The last step of the command (runserver) runs for real, in a fresh interpreter, on a free
port and a database of its own; the demo data is not needed to see how the server behaves.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def serve_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- serve-command -->\n```\n(.+?)\n```", readme, re.S).group(1)
    return block.strip()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("DATABASE_URL", "CACHE_URL", "DEMO_ADMIN_PASSWORD"):
        environment.pop(name, None)
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    return environment


def fetch(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The serve command's runserver step, exactly as the README writes it but for the port
    (and this interpreter in place of .venv/bin/python)."""
    tmp = tmp_path_factory.mktemp("demo")
    environment = clean_environment(tmp)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    last_step = serve_command().split(" && ")[-1]
    port = free_port()
    words = [
        sys.executable if word == ".venv/bin/python" else word for word in shlex.split(last_step)
    ]
    words = [f"127.0.0.1:{port}" if word == "127.0.0.1:8000" else word for word in words]
    assignments = [w for w in words if re.fullmatch(r"[A-Z_]+=.*", w)]
    argv = words[len(assignments) :]
    environment.update(a.split("=", 1) for a in assignments)
    log = open(tmp / "server.log", "w+")
    server = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/robots.txt")
                break
            except OSError:
                assert server.poll() is None, (tmp / "server.log").read_text()
                assert time.monotonic() < deadline, "the demo server did not start in 60 s"
                time.sleep(0.3)
        yield base, tmp / "server.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # runserver and its autoreloading child
        server.wait(timeout=20)
        log.close()


def test_the_readme_serves_the_demo_without_debug_pages():
    assert "DJANGO_DEMO=1" in serve_command().split(" && ")[-1]


@pytest.mark.parametrize("path", ["/no-such-page/", "/en/no-such-page/", "/institutions/nope/"])
def test_an_unknown_address_gets_the_sites_own_404(demo_server, path):
    base, _ = demo_server
    status, headers, body = fetch(base + path)
    assert status == 404
    assert "error-page__code" in body  # templates/404.html, in the site's layout
    assert "Django" not in body and "URLconf" not in body and "Traceback" not in body


def test_the_demo_is_served_over_plain_http_with_static_files(demo_server):
    base, _ = demo_server
    status, headers, body = fetch(base + "/")
    assert status == 200  # no redirect to https
    assert "Strict-Transport-Security" not in headers
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body).group(1)
    assert fetch(base + stylesheet)[0] == 200  # found without collectstatic


def test_the_server_starts_without_warnings(demo_server):
    # Such as WhiteNoise's "No directory at: …/staticfiles/" (where collectstatic never ran).
    base, log = demo_server
    fetch(base + "/")
    assert "Warning" not in log.read_text().replace("WARNING: This is a development server", "")


def test_the_admin_login_works_over_plain_http(demo_server):
    base, _ = demo_server
    status, headers, body = fetch(base + "/admin/login/")
    assert status == 200
    cookie = headers.get("Set-Cookie", "")
    assert "csrftoken=" in cookie and "Secure" not in cookie


@pytest.mark.parametrize("variables", [{}, {"DJANGO_DEMO": "1"}], ids=["development", "demo"])
def test_the_console_says_each_thing_once(tmp_path, variables):
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /nowhere/'); "
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean_environment(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **variables,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /nowhere/") == 1
    assert result.stderr.count("Watching for file changes") == 1
