"""Random and hostile query strings and path segments on every public URL: never a 5xx."""

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_article, make_enterprise, make_institution, make_park

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/",
    "/institutions/",
    "/enterprises/",
    "/parks/",
    "/partnerships/",
    "/news/",
    "/figures/",
    "/compare/",
    "/search/",
    "/news/feed/",
    "/sitemap.xml",
    "/robots.txt",
]
DETAIL_PREFIXES = ["/institutions/", "/enterprises/", "/parks/", "/news/", "/figures/"]
KEYS = [
    "q",
    "page",
    "kind",
    "ownership",
    "honour",
    "has_partnerships",
    "initial",
    "ordering",
    "cluster",
    "park",
    "relation",
    "fortune_global_500",
    "institution",
    "enterprise",
    "year",
    "items",
    "back",
    "o",
    "format",
]
HOSTILE = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "1e9",
    "NaN",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "\x00",
    "../../etc/passwd",
    "重庆",
    "wuyi",
    "Ｗ",
    "a" * 3000,
    "[]",
    "{}",
    "None",
    "true",
    "C",
    "zz,yy,xx,ww,vv",
    "🙂",
    "\u202e",
    "重慶wuyi",
    "Chóngqìng lǚ",
    "ｗｕ\u200bｙｉ",
    "¨\u0308",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60),
)
SITE_MARK = "</html>"


@pytest.fixture
def demo(db):
    park = make_park("云计算产业园")
    institution = make_institution("重庆五一技师学院")
    make_enterprise("中迪医疗", park=park)
    make_article("重庆高职城瞄准大数据智能化前沿").institutions.add(institution)


def check(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    body = response.content.decode("utf-8", "replace")
    assert "Traceback" not in body
    if response.status_code in (200, 400, 404) and "html" in response.get("Content-Type", ""):
        assert SITE_MARK in body


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(LIST_URLS + ["/en" + u for u in LIST_URLS[:9]]),
    params=st.dictionaries(
        st.sampled_from(KEYS), st.lists(text, min_size=1, max_size=3), max_size=4
    ),
)
def test_query_strings(demo, url, params):
    client = Client(raise_request_exception=False)
    check(client.get(url, params))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.sampled_from(DETAIL_PREFIXES + ["/en" + p for p in DETAIL_PREFIXES] + ["/", "/en/"]),
    segment=text,
)
def test_path_segments(demo, prefix, segment):
    from urllib.parse import quote

    client = Client(raise_request_exception=False)
    check(client.get(prefix + quote(segment, safe="") + "/"))


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/institutions/?ownership=%00",
        "/compare/?items=%00",
        "/en/news/?q=%00",
        "/institutions/a%00b/",
    ],
)
def test_nul_bytes_get_a_designed_400(demo, url):
    # PostgreSQL cannot compare text holding NUL: refused before any view or query.
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert SITE_MARK in response.text and "400" in response.text


@pytest.mark.parametrize(
    "path", ["//evil.example/institutions/", "///evil.example/", "/%2F%2Fevil.example/"]
)
def test_language_link_never_leads_to_another_host(demo, path):
    # As the server passes it on; the test client would read //host/ as a host.
    response = Client(raise_request_exception=False).get("/", PATH_INFO=unquote(path))
    assert response.status_code == 404
    links = re.findall(r'<a href="([^"]*)" hreflang=', response.text)
    assert links, "the language switch is on the 404 page"
    for href in links:
        assert href.startswith("/") and not href.startswith("//"), href


def test_robots_txt_answers_head_when_not_cached(db):
    response = Client().head("/robots.txt?fresh=1")
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/sitemap.xml", "/news/feed/", "/en/news/feed/"])
@pytest.mark.parametrize("method", ["trace", "post", "put", "delete"])
def test_machine_readable_pages_answer_only_get_and_head(demo, url, method):
    client = Client(enforce_csrf_checks=False, raise_request_exception=False)
    response = client.generic(method.upper(), url)
    assert response.status_code == 405
    assert client.head(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/institutions/", "/en/news/", "/search/?q=wuyi", "/compare/", "/figures/"]
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_refuse_other_methods_with_405_not_a_csrf_failure(demo, url, method):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.generic(method.upper(), url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert client.head(url).status_code == 200


def test_a_detail_page_refuses_post_with_405(demo):
    from directory.models import Institution

    url = Institution.objects.published().first().get_absolute_url()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.post(url).status_code == 405
    assert client.get(url).status_code == 200


def test_figure_address_answers_only_get_and_head(db):
    from tests.factories import make_figure

    url = make_figure("在校生").get_absolute_url()
    client = Client(raise_request_exception=False)
    assert client.generic("TRACE", url).status_code == 405
    assert client.head(url).status_code == 302


def test_favicon_ico_leads_to_the_site_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302  # the icon's hashed address changes with releases
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Location"].endswith(".svg") and "favicon" in response["Location"]


def test_control_characters_stored_earlier_do_not_break_the_feed(db):
    from tests.factories import make_article

    make_article("标题\x0b换行\x1b\ufffe", summary="摘要\x01内\uffff容", byline="记者\x0c")
    response = Client(raise_request_exception=False).get("/news/feed/")
    assert response.status_code == 200
    assert "标题\n换行" in response.text and "摘要内容" in response.text


def test_a_junk_query_is_not_repeated_into_every_link(demo):
    junk = "学" * 300  # fails validation (over 100 characters)
    html = Client().get("/institutions/", {"q": junk, "kind": "higher_vocational"}).text
    assert html.count(junk) <= 1  # the search box gives back what was typed, once
    # The cards keep only the filters that worked; the language switch drops a long query.
    assert "?back=kind%3Dhigher_vocational" in html
    long_but_valid = (
        Client().get("/institutions/", {"kind": "higher_vocational", "x": "y" * 600}).text
    )
    assert "y" * 600 not in long_but_valid
    assert 'href="/en/institutions/" hreflang="en"' in long_but_valid


def test_a_missing_page_names_no_canonical_or_alternate_address(demo):
    html = Client(raise_request_exception=False).get("/en/no-such-page/").text
    assert '<link rel="canonical"' not in html and '<link rel="alternate"' not in html


@pytest.mark.parametrize("url", ["/admin/login/", "/en/admin/login/"])
def test_a_post_without_the_csrf_token_gets_the_site_s_own_403(demo, url):
    # Public pages take no form (they answer 405): the admin's forms are where it happens.
    response = Client(enforce_csrf_checks=True).post(url, {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "403" in response.text and "Django" not in response.text
    assert 'href="/static/css/site.css"' in response.text
    if url.startswith("/en/"):
        assert "The form could not be sent" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "from=singlemessage&isappinstalled=0",  # what WeChat adds to a shared link
        "kind=bogus",  # not understood: ignored, and said so
        "initial=ab",
        "q=%20%20",
        "ordering=-founded",  # the sort order narrows nothing down
    ],
)
def test_what_filters_nothing_is_not_called_an_active_filter(demo, query):
    html = Client().get(f"/institutions/?{query}").text
    assert "filters__active" not in html and "clear-filters" not in html


def test_a_repeated_filter_counts_once(demo):
    html = Client().get("/institutions/?kind=bogus&kind=technician&utm_source=x").text
    assert '<span class="filters__active">（已选 1 项）</span>' in html
    assert 'class="clear-filters"' in html


@pytest.mark.parametrize("name", ["a" * 300, "学" * 100, "photos/" + "b" * 256 + ".jpg"])
def test_a_media_name_longer_than_the_file_system_takes_is_not_found(db, settings, name):
    # Where Django serves uploads itself (demos), the file system refused the name: a 500.
    media = settings.MEDIA_ROOT
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_bytes(b"\xff\xd8 not really")
    client = Client(raise_request_exception=False)
    assert client.get("/media/photos/a.jpg").status_code == 200
    assert client.get(f"/media/{name}").status_code == 404
