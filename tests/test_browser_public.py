"""A visitor's journeys through the public site in Debian's Chromium (Playwright, sync API).

Browse home → institutions → filter → detail → back (link and browser back keep the filter);
search by pinyin and initials from the header box; switch language on a detail page and back;
no horizontal scrolling at 360 px (screenshots saved); no script error or CSP violation on the
main pages. The demo data is loaded into the live server's database for each test.

Skipped without /usr/bin/chromium (fails instead when BROWSER_TESTS_REQUIRED=1).
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import (  # noqa: F401  (chromium, open_page, screenshot_dir and site are fixtures)
    PHONE,
    broken_images,
    chromium,
    horizontal_overflow,
    open_page,
    screenshot_dir,
    site,
    wait_until,
)

pytestmark = [
    pytest.mark.browser,
    # live_server tests flush the database afterwards. Restore what the migrations put there
    # (e.g. the staff groups) for the tests that run after these, and flush without
    # re-creating content types, which would clash with that restore.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WUYI = "chongqingwuyijishixueyuan"
WUYI_NAME = "重庆五一技师学院"
WUYI_NAME_EN = "Chongqing Wuyi Technician College"
ARTICLE = "chongqinggaozhichengmiaozhundashujuzhinenghuaqianyan"


def query(url):
    return parse_qs(urlsplit(url).query)


def on_detail(url):
    return urlsplit(url).path == f"/institutions/{WUYI}/"


def test_filter_detail_and_back_keep_the_filter(site, open_page):
    page = open_page()
    page.goto(f"{site}/")
    page.locator('.site-nav a[href="/institutions/"]').click()
    page.wait_for_url(f"{site}/institutions/")
    all_count = page.locator(".card--institution").count()
    assert all_count == 9

    # The filter panel is open on a wide screen; choose a kind and apply.
    assert page.locator("details.filters").get_attribute("open") is not None
    page.select_option("#id_kind", "technician")
    page.locator(".filters__actions button[type=submit]").click()
    page.wait_for_url(lambda url: query(url).get("kind") == ["technician"])
    list_url = page.url
    assert page.locator(".card--institution").count() == 1
    assert "1" in page.locator(".result-count").inner_text()

    # Open the detail page from its card.
    page.locator(".card--institution").get_by_role("link", name=WUYI_NAME).click()
    page.wait_for_url(on_detail)
    assert page.locator("h1").inner_text() == WUYI_NAME

    # The "back to the list" link returns to the filtered list.
    page.locator("a.back-link").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/institutions/")
    assert query(page.url).get("kind") == ["technician"]
    assert page.locator("#id_kind").input_value() == "technician"
    assert page.locator(".card--institution").count() == 1

    # So does the breadcrumb.
    page.locator(".card--institution").get_by_role("link", name=WUYI_NAME).click()
    page.wait_for_url(on_detail)
    page.locator('.breadcrumbs a[href^="/institutions/"]').click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/institutions/")
    assert query(page.url).get("kind") == ["technician"]

    # And the browser's back button.
    page.locator(".card--institution").get_by_role("link", name=WUYI_NAME).click()
    page.wait_for_url(on_detail)
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).path == "/institutions/")
    assert query(page.url).get("kind") == ["technician"]
    assert page.locator("#id_kind").input_value() == "technician"
    assert page.locator(".card--institution").count() == 1
    assert query(list_url).get("kind") == ["technician"]

    # "Clear filters" shows everything again.
    page.locator("a.clear-filters").click()
    page.wait_for_url(f"{site}/institutions/")
    assert page.locator(".card--institution").count() == all_count
    page.problems.assert_none()


@pytest.mark.parametrize("words", ["wuyi", "WYJS", "五一"])
def test_header_search_finds_by_pinyin_and_initials(site, open_page, words):
    page = open_page()
    page.goto(f"{site}/news/")
    box = page.locator("#site-search-q")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/search/")
    assert query(page.url)["q"] == [words]
    results = page.locator("#results-institutions")
    link = results.get_by_role("link", name=WUYI_NAME, exact=True)
    assert link.count() == 1
    link.click()
    page.wait_for_url(f"{site}/institutions/{WUYI}/")
    page.problems.assert_none()


def test_language_switch_keeps_the_page(site, open_page):
    page = open_page()
    page.goto(f"{site}/institutions/{WUYI}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    page.locator(".lang-switch a").click()
    page.wait_for_url(f"{site}/en/institutions/{WUYI}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == WUYI_NAME_EN
    # Links on the English page stay in English.
    assert page.locator(".site-nav a").first.get_attribute("href") == "/en/"

    page.locator(".lang-switch a").click()
    page.wait_for_url(f"{site}/institutions/{WUYI}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == WUYI_NAME
    page.problems.assert_none()


def test_compare_keeps_the_ticks_across_filters(site, open_page):
    page = open_page()
    page.goto(f"{site}/institutions/?kind=technician")
    page.locator(f"input[name=items][value={WUYI}]").check()
    assert "1" in page.locator("[data-compare-status]").inner_text()

    # Another filter: the first tick is not on this page, but it is remembered.
    page.goto(f"{site}/institutions/?kind=higher_vocational")
    assert page.locator(f"input[name=items][value={WUYI}]").count() == 0
    boxes = page.locator("input[name=items]")
    assert boxes.count() == 2
    boxes.first.check()
    second = boxes.first.get_attribute("value")
    assert "2" in page.locator("[data-compare-status]").inner_text()
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/compare/")
    assert sorted(query(page.url)["items"]) == sorted([WUYI, second])
    assert page.locator(".compare-table thead th").count() == 2

    # Back in the list the ticks are still there; a fifth is refused; "clear" empties them.
    page.goto(f"{site}/institutions/")
    assert page.locator("input[name=items]:checked").count() == 2
    unticked = page.locator("input[name=items]:not(:checked)")
    for _ in range(2):
        unticked.first.check()
    assert page.locator("input[name=items]:checked").count() == 4
    unticked.first.click()  # refused: check() would insist
    assert page.locator("input[name=items]:checked").count() == 4
    assert "4" in page.locator("[data-compare-status]").inner_text()
    assert "compare-bar--active" in page.locator(".compare-bar").get_attribute("class")
    page.locator("[data-compare-clear]").click()
    assert page.locator("input[name=items]:checked").count() == 0
    assert page.locator("[data-compare-status]").is_hidden()
    assert page.evaluate("document.activeElement.type") == "submit"  # focus not lost
    announced = wait_until(
        page, "() => document.querySelector('[data-compare-announce]').textContent"
    )
    assert announced.strip()
    page.reload()
    assert page.locator("input[name=items]:checked").count() == 0

    # What sessionStorage holds is read with care: repeats count once, odd names are slugs.
    stored = ["constructor", WUYI, WUYI]
    page.evaluate("list => sessionStorage.setItem('gzc.compare', JSON.stringify(list))", stored)
    page.goto(f"{site}/institutions/?kind=higher_vocational")
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/compare/")
    assert query(page.url)["items"] == ["constructor", WUYI]
    page.problems.assert_none()


PHONE_PAGES = [
    ("home", "/"),
    ("institution", f"/institutions/{WUYI}/"),
    ("institutions", "/institutions/?kind=technician"),
    ("article", f"/news/{ARTICLE}/"),
    ("figures", "/figures/"),
    ("compare", f"/compare/?items={WUYI},huawei-ict-xueyuan"),
    ("home-en", "/en/"),
    ("institution-en", f"/en/institutions/{WUYI}/"),
]


def test_no_horizontal_scrolling_at_360px(site, open_page, screenshot_dir):
    page = open_page(viewport=PHONE)
    overflowing = {}
    for name, path in PHONE_PAGES:
        page.goto(f"{site}{path}")
        page.screenshot(path=screenshot_dir / f"{name}-360.png", full_page=True)
        overflow = horizontal_overflow(page)
        if overflow:
            overflowing[path] = overflow
    assert not overflowing, f"wider than 360 px: {overflowing}"
    assert (screenshot_dir / "home-360.png").stat().st_size > 0
    assert (screenshot_dir / "institution-360.png").stat().st_size > 0

    # On a phone the filter panel starts collapsed and opens on a tap.
    page.goto(f"{site}/institutions/")
    panel = page.locator("details.filters")
    assert panel.get_attribute("open") is None
    assert not page.locator("#id_kind").is_visible()
    page.locator(".filters__summary").click()
    assert page.locator("#id_kind").is_visible()
    page.problems.assert_none()


MAIN_PAGES = [
    "/",
    "/institutions/",
    f"/institutions/{WUYI}/",
    "/enterprises/",
    "/enterprises/huawei/",
    "/parks/",
    "/parks/yunjisuanchanyeyuan/",
    "/partnerships/",
    "/news/",
    f"/news/{ARTICLE}/",
    "/figures/",
    f"/compare/?items={WUYI},huawei-ict-xueyuan",
    "/search/?q=wuyi",
    "/search/?q=zzzz",
]


def test_no_console_errors_csp_violations_or_broken_images(site, open_page):
    page = open_page()
    # Everything a page loads (CSS, JS, fonts, icons, images) comes from the site itself.
    elsewhere = []
    page.on(
        "request", lambda r: None if r.url.startswith((site, "data:")) else elsewhere.append(r.url)
    )
    problems = {}
    for path in MAIN_PAGES + ["/en" + path for path in MAIN_PAGES]:
        page.problems.items.clear()
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        # The stylesheet and script really applied (a CSP block would leave the page bare).
        assert page.evaluate("getComputedStyle(document.body).display") == "flex", path
        # Every image loads (lazy ones too): renditions exist and are served.
        found = [f"broken image: {src}" for src in broken_images(page)]
        found += page.problems.collect()
        if found:
            problems[path] = found

    # The designed 404 page, too.
    missing = f"{site}/no-such-page/"
    page.problems.items.clear()
    page.problems.allow(missing, 404)
    response = page.goto(missing)
    assert response.status == 404
    assert page.locator("h1").inner_text()
    if page.problems.collect():
        problems[missing] = page.problems.collect()
    assert not problems, problems
    assert not elsewhere, f"requests to other hosts: {elsewhere}"


def test_compare_with_others_keeps_the_first_one_ticked(site, open_page):
    """“Compare with other institutions” opened the compare page with that one institution;
    its link to the list then showed no tick, so the visitor had to find it again."""
    page = open_page()
    page.goto(f"{site}/institutions/{WUYI}/")
    page.locator(f'.facts a[href="/compare/?items={WUYI}"]').click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/compare/")
    assert page.locator(".compare-table thead th").count() == 1
    page.locator('.page-head a[href="/institutions/"]').click()
    page.wait_for_url(f"{site}/institutions/")
    assert page.locator(f"input[name=items][value={WUYI}]").is_checked()
    assert page.locator("input[name=items]:checked").count() == 1
    assert "1" in page.locator("[data-compare-status]").inner_text()

    # Ticking a second and comparing shows both.
    page.locator(f"input[name=items]:not([value={WUYI}])").first.check()
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/compare/")
    assert len(query(page.url)["items"]) == 2
    assert page.locator(".compare-table thead th").count() == 2
    page.problems.assert_none()
