"""What a visitor types finds a name however it is written.

Chinese and pinyin in one word, tone marks and ü, traditional characters, invisible and
full-width characters: the site search and the lists' keyword filters take them the same
way, in the same number of queries. Names are the demo fixtures' own.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    make_article,
    make_enterprise,
    make_figure,
    make_institution,
    make_park,
)
from tests.staff_factories import editor, editor_client, fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db

WUYI = "重庆五一技师学院"
QINGNIAN = "重庆青年职业学院"
WENYI = "重庆文化艺术职业学院"
CHENGKE = "重庆大学城市科技学院"
RONGZHI = "重庆工商大学融智学院"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request runs the view: a cached page would hide what it matched and its queries."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _chinese():
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def city():
    park = make_park("云计算产业园", aliases="重庆高职城云计算产业园")
    make_institution(WUYI, aliases="五一高级技师学院, 重庆五一技校, 五一技校")
    make_institution(QINGNIAN)
    make_institution(WENYI)
    make_institution(CHENGKE)
    make_institution(RONGZHI, aliases="融智学院")
    make_institution("华为ICT学院")
    make_institution("巴南职教中心")
    zhongdi = make_enterprise("中迪医疗", aliases="中迪医疗公司", park=park)
    make_enterprise("科大讯飞", park=park)
    article = make_article("重庆高职城瞄准大数据智能化前沿")
    article.enterprises.add(zhongdi)
    make_article("云计算产业园开园", year=2019)


def searched(client, q, group="institutions"):
    """Names the site search finds of one type."""
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    results = {g.key: g for g in response.context["groups"]}[group].results
    return sorted(obj.name for obj in results)


def listed(client, q, url="/institutions/", key="institutions"):
    """Names a list page's keyword filter keeps."""
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert "q" not in response.context["filter"].form.errors
    return sorted(obj.name for obj in response.context[key])


def both(client, q):
    """What search and the institution list find for q: they must agree."""
    from_search, from_list = searched(client, q), listed(client, q)
    assert from_search == from_list, q
    return from_search


# ---------------------------------------------------------------- Chinese and pinyin in one word


@pytest.mark.parametrize("q", ["重庆wuyi", "chongqing五一", "重庆wy", "cq五一", "五一jishi"])
def test_a_word_mixing_chinese_and_pinyin_finds_the_name(client, city, q):
    assert both(client, q) == [WUYI]


@pytest.mark.parametrize("q", ["重庆qingnian", "重庆QN"])
def test_the_pinyin_must_follow_on_from_the_chinese(client, city, q):
    # 重庆 is in every 重庆… school, qingnian only in one: the word finds that one alone.
    assert both(client, q) == [QINGNIAN]


def test_a_mixed_word_keeps_to_the_names_it_spells(client, city):
    # 重庆工商大学融智学院 holds 重庆 and daxue too, but daxue does not follow on from 重庆.
    assert both(client, "重庆daxue") == [CHENGKE]
    assert both(client, "重庆gongshang") == [RONGZHI]
    # A word matches as written as before, and one spelling nothing finds nothing.
    assert both(client, "华为ict学院") == ["华为ICT学院"]
    assert both(client, "重庆zzz") == []


# ---------------------------------------------------------------- tone marks and ü


@pytest.mark.parametrize("q", ["Wǔyī", "wǔyī jìshī", "WǓYĪ", "Chóngqìng wǔyī"])
def test_pinyin_with_tone_marks_finds_the_name(client, city, q):
    assert both(client, q) == [WUYI]


def test_tone_marks_on_a_list_find_what_plain_pinyin_finds(client, city):
    assert both(client, "Chóngqìng") == both(client, "chongqing") != []
    assert listed(client, "Yúnjìsuàn", "/news/", "articles") == ["云计算产业园开园"]


@pytest.mark.parametrize("q", ["jiuyelü", "jiùyèlǜ", "JIUYELÜ"])
def test_u_umlaut_finds_the_v_pypinyin_writes(editor_client, q):
    # The fixtures' only name with ü in its pinyin is a key figure (率, lǜ), found in the admin.
    make_figure("高职毕业生就业率")
    make_figure("输送优秀毕业生")
    response = editor_client.get(reverse("admin:directory_figure_changelist"), {"q": q})
    assert [obj.name for obj in response.context["cl"].result_list] == ["高职毕业生就业率"]


# ---------------------------------------------------------------- traditional characters


@pytest.mark.parametrize(
    "q, expected",
    [
        ("重慶五一", [WUYI]),
        ("職業學院", [QINGNIAN, WENYI]),
        ("文化藝術", [WENYI]),
        ("華為", ["华为ICT学院"]),
        ("巴南職教", ["巴南职教中心"]),
        ("重慶wuyi", [WUYI]),
    ],
)
def test_traditional_characters_find_the_simplified_name(client, city, q, expected):
    assert both(client, q) == sorted(expected)


def test_traditional_characters_in_the_news_and_enterprise_filters(client, city):
    assert listed(client, "雲計算", "/news/", "articles") == ["云计算产业园开园"]
    response = client.get("/news/", {"enterprise": "中迪醫療"})
    assert [a.name for a in response.context["articles"]] == ["重庆高职城瞄准大数据智能化前沿"]
    assert searched(client, "中迪醫療", "enterprises") == ["中迪医疗"]


def test_a_name_stored_in_traditional_characters_is_found_in_simplified(client, city):
    make_institution("重慶藝術學校")
    assert both(client, "重庆艺术学校") == ["重慶藝術學校"]
    assert both(client, "艺术") == sorted(["重慶藝術學校", WENYI])


# ---------------------------------------------------------------- invisible and full-width


@pytest.mark.parametrize(
    "q",
    [
        "五\u200b一",  # zero-width space, as pasted from a chat
        "\ufeff五一",  # byte order mark
        "wu\u00adyi",  # soft hyphen
        "ｗｕ\u200bｙｉ",  # full-width letters around a zero-width space
        "五一\u3000ｊｉｓｈｉ\u200d",  # ideographic space, full-width, zero-width joiner
    ],
)
def test_invisible_characters_count_for_nothing_in_search_and_lists(client, city, q):
    assert both(client, q) == [WUYI]


def test_invisible_characters_in_the_enterprise_filter(client, city):
    response = client.get("/news/", {"enterprise": "中\u200b迪"})
    assert [a.name for a in response.context["articles"]] == ["重庆高职城瞄准大数据智能化前沿"]


def test_a_query_of_only_invisible_characters_is_no_query(client, city):
    everyone = listed(client, "")
    assert listed(client, "\u200b\u200d\ufeff") == everyone
    response = client.get("/search/", {"q": "\u200b"})
    assert response.context["groups"] == [] and response.context["query"] == ""


# ---------------------------------------------------------------- limits and query counts


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url, key, plain, typed",
    [
        ("/search/", None, "wuyi", "重慶wǔyī\u200b"),
        ("/institutions/", "institutions", "wuyi", "重慶wǔyī\u200b"),
        ("/news/", "articles", "yunjisuan kaiyuan", "雲計算\u200b kāiyuán"),
    ],
)
def test_normalised_queries_cost_no_more_queries(client, city, url, key, plain, typed):
    names = searched if key is None else lambda c, q: listed(c, q, url, key)
    assert names(client, typed) == names(client, plain) != []
    assert _queries(client, url, {"q": typed}) == _queries(client, url, {"q": plain})


def test_the_search_limits_still_hold_for_mixed_words(client, city):
    q = " ".join(["重慶wuyi"] * 12)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.context["query_shortened"]
    assert len(response.context["query"].split()) == 8
    assert WUYI in [obj.name for obj in response.context["groups"][0].results]
    long_list_query = client.get("/institutions/", {"q": "重慶w" * 40})
    assert "q" in long_list_query.context["filter"].form.errors  # over 100 characters


# ---------------------------------------------------------------- keys stored before


def test_the_migration_stores_old_keys_in_the_new_form(client, city):
    from django.apps import apps

    from directory.models import Institution

    refresh = importlib.import_module("directory.migrations.0006_refresh_search_keys")
    make_institution("重慶藝術學校")
    # search_text as saved before keys were normalised: traditional, as typed.
    Institution.objects.filter(name="重慶藝術學校").update(
        search_text="重慶藝術學校 chongqingyishuxuexiao cqysxx"
    )
    assert both(client, "重慶藝術") == []
    refresh.refresh_search_keys(apps, SimpleNamespace(connection=connection))
    assert both(client, "重慶藝術") == both(client, "重庆艺术") == ["重慶藝術學校"]
