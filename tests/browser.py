"""Shared helpers for browser tests: Debian's Chromium driven by Playwright's sync API.

Playwright comes from PyPI; the browser is the system's (`/usr/bin/chromium`), never a download.
Without it the tests are skipped with how to install it, unless BROWSER_TESTS_REQUIRED=1 (CI),
in which case they fail.

Use in a test module::

    from tests.browser import chromium, open_page  # noqa: F401  (pytest fixtures)

    pytestmark = pytest.mark.browser

    def test_something(live_server, open_page):  # data fixtures first, then the browser
        page = open_page()
        page.goto(live_server.url + "/")
        page.problems.assert_none()

Screenshots go to `BROWSER_SCREENSHOT_DIR` when set (e.g. for CI artefacts), else to the
test's tmp_path; see `screenshot_dir`.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = (
    f"Chromium not found at {CHROMIUM}: install it with "
    "`apt-get install chromium fonts-wqy-microhei` to run the browser tests."
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Runs before any script of every page. Init scripts are injected by the browser, so the
# site's CSP (no inline script) does not block it; it only records what the CSP blocked.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def require_chromium():
    """Skip (or, with BROWSER_TESTS_REQUIRED=1, fail) when Debian's Chromium is missing."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("BROWSER_TESTS_REQUIRED") == "1":
        pytest.fail(INSTALL_HINT, pytrace=False)
    pytest.skip(INSTALL_HINT)


@pytest.fixture
def chromium(monkeypatch):
    """A headless Chromium for one test.

    Per test, not per module: while Playwright's sync API runs, this thread sees another
    context (greenlet), so Django hands out other connection objects. A database set up or
    flushed in there misses the test runner's state (serialized_rollback's snapshot), which
    breaks later tests. Request the data fixtures *before* this one, so they run outside.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's loop runs in this thread; Django would refuse the synchronous ORM calls a
    # test makes between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs get their own connection: close it,
            # or the test database cannot be dropped afterwards (PostgreSQL).
            connections.close_all()


class PageProblems:
    """What went wrong on a page: script errors, console errors, CSP violations, HTTP errors."""

    def __init__(self, page):
        self.page = page
        self.items = []
        self.allowed_statuses = {}  # url -> status that is expected (e.g. the 404 page itself)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.items.append(f"script error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message):
        if message.type != "error":
            return
        # A failed load is reported with its status by _on_response, with the URL.
        if message.text.startswith("Failed to load resource"):
            return
        self.items.append(f"console error: {message.text}")

    def _on_response(self, response):
        if response.status < 400:
            return
        if self.allowed_statuses.get(response.url) == response.status:
            return
        self.items.append(f"HTTP {response.status}: {response.url}")

    def _on_request_failed(self, request):
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:  # navigations superseded by the next one
            return
        self.items.append(f"request failed: {request.url} ({failure})")

    def allow(self, url, status):
        self.allowed_statuses[url] = status

    def csp_violations(self):
        try:
            return self.page.evaluate("window.__cspViolations || []")
        except Exception:  # the page is navigating away
            return []

    def collect(self):
        """Everything recorded so far, plus the CSP violations of the current document."""
        return self.items + [f"CSP violation: {v}" for v in self.csp_violations()]

    def assert_none(self, where=""):
        problems = self.collect()
        assert not problems, f"problems on {where or self.page.url}:\n" + "\n".join(problems)


@pytest.fixture
def open_page(chromium):
    """Factory: open_page(viewport=DESKTOP, locale="zh-CN") -> a Page with `.problems`."""
    contexts = []

    def _open(viewport=DESKTOP, locale="zh-CN"):
        context = chromium.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        context.add_init_script(_RECORD_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems(page)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo data loaded and an empty page cache."""
    call_command("load_demo", no_user=True, verbosity=0)
    # The live server shares this process's cache; pages cached by an earlier test would
    # show that test's data (its rows were flushed since).
    cache.clear()
    yield live_server.url
    cache.clear()


@pytest.fixture
def screenshot_dir(tmp_path):
    """Where screenshots go: $BROWSER_SCREENSHOT_DIR if set, else this test's tmp_path."""
    configured = os.environ.get("BROWSER_SCREENSHOT_DIR")
    folder = Path(configured) if configured else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def horizontal_overflow(page):
    """None when the page fits its viewport's width, else what sticks out (for the message)."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const width = window.innerWidth;
          if (root.scrollWidth <= width) return null;
          const culprits = [];
          for (const el of document.body.querySelectorAll("*")) {
            const box = el.getBoundingClientRect();
            const spills = el.scrollWidth > el.clientWidth + 1
              && getComputedStyle(el).overflowX === "visible" && box.right + el.scrollWidth
                 - el.clientWidth > width + 0.5;
            if ((box.right > width + 0.5 && box.width > 0) || spills) {
              const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.className && typeof el.className === "string"
                   ? "." + el.className.trim().split(/\\s+/).join(".") : "");
              culprits.push(name + " right=" + Math.round(box.right));
              if (culprits.length >= 8) break;
            }
          }
          return {scrollWidth: root.scrollWidth, innerWidth: width, culprits: culprits};
        }"""
    )


def broken_images(page, timeout_ms=5000):
    """The images of the page (lazy ones too) that do not load: their URLs."""
    return page.evaluate(
        """async (timeout) => {
          const images = Array.from(document.images);
          for (const img of images) img.loading = "eager";
          const loaded = images.map((img) => img.complete ? null : new Promise((done) => {
            img.addEventListener("load", done, {once: true});
            img.addEventListener("error", done, {once: true});
          }));
          await Promise.race([
            Promise.all(loaded), new Promise((done) => setTimeout(done, timeout)),
          ]);
          return images.filter((img) => !img.complete || img.naturalWidth === 0)
            .map((img) => img.currentSrc || img.src);
        }""",
        timeout_ms,
    )


def wait_until(page, expression, arg=None, timeout_s=5.0):
    """Poll a JS function until it returns something truthy, and return that.

    Not page.wait_for_function(): its predicate is compiled inside the page, which the site's
    CSP (no 'unsafe-eval') forbids, so it only passed when the first look already held.
    page.evaluate() goes through the DevTools protocol, which the CSP does not govern.
    """
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        result = page.evaluate(expression, arg)
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout_s} s: {expression}"
            return result
        page.wait_for_timeout(50)
