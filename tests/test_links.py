"""url_for() gives exactly what reverse() gives, in each language."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from directory.links import url_for

ROUTES = [
    "directory:institution_detail",
    "directory:enterprise_detail",
    "directory:park_detail",
    "directory:article_detail",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("route", ROUTES)
def test_detail_addresses_match_reverse(route, language):
    with translation.override(language):
        for slug in ["chongqingwuyijishixueyuan", "bulk-institution-7", "a_b"]:
            assert url_for(route, slug) == reverse(route, kwargs={"slug": slug})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_list_addresses_match_reverse(language):
    with translation.override(language):
        assert url_for("directory:figure_list") == reverse("directory:figure_list")
        assert url_for("directory:home") == reverse("directory:home")


def test_languages_never_share_an_address():
    with translation.override("en"):
        english = url_for("directory:park_detail", "yunjisuanchanyeyuan")
    with translation.override("zh-hans"):
        chinese = url_for("directory:park_detail", "yunjisuanchanyeyuan")
    assert english == "/en/parks/yunjisuanchanyeyuan/"
    assert chinese == "/parks/yunjisuanchanyeyuan/"


def test_a_slug_the_route_refuses_is_refused_as_by_reverse():
    # Never glued into an address unchecked: reverse() decides, and refuses.
    for slug in ["重庆", "a/b", "x y"]:
        with pytest.raises(NoReverseMatch):
            url_for("directory:park_detail", slug)


def test_a_moved_script_prefix_is_followed(settings):
    from django.urls import set_script_prefix

    url_for("directory:park_detail", "x")
    set_script_prefix("/portal/")
    try:
        assert url_for("directory:park_detail", "x") == "/portal/parks/x/"
    finally:
        set_script_prefix("/")
