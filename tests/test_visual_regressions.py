"""Regressions found by looking at the public pages as a visitor would (and through axe-core).

HTML-level, through the test client: each test failed before its fix.
"""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import translation

from tests.factories import (
    make_article,
    make_cluster,
    make_enterprise,
    make_figure,
    make_honour,
    make_institution,
    make_park,
    make_photo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_first():
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def article_with_photos():
    article = make_article(
        "重庆高职城瞄准大数据智能化前沿", picture_credit="巴南区经济和信息化委员会"
    )
    make_photo(article, caption="云教育产业园", credit="冯亚宏", is_placeholder=True, order=1)
    make_photo(
        article, caption="实训楼", caption_en="Training building", credit="重庆高职城", order=2
    )
    return article


def test_english_article_marks_chinese_credits_and_captions_as_chinese(client, article_with_photos):
    """Screen readers read Chinese credits with a Chinese voice on English pages (WCAG 3.1.2)."""
    url = article_with_photos.get_absolute_url()
    html = client.get("/en" + url).content.decode()
    assert 'Original photo: <span lang="zh-Hans">冯亚宏</span>' in html
    assert 'Photo: <span lang="zh-Hans">重庆高职城</span>' in html
    assert 'Pictures courtesy of <span lang="zh-Hans">巴南区经济和信息化委员会</span>.' in html
    # A caption with no English version is Chinese; one with it is not marked.
    assert '<figcaption class="photo__caption"><span lang="zh-Hans">云教育产业园</span>' in html
    assert '<figcaption class="photo__caption">Training building' in html
    # On the Chinese page nothing needs marking.
    html = client.get(url).content.decode()
    assert '<span class="photo__credit">原照片摄影：冯亚宏</span>' in html


def test_english_compare_marks_a_chinese_only_honour(client):
    honour = make_honour("市级重点实验室")
    first = make_institution("重庆工商大学融智学院", name_en="Rongzhi College", honours=[honour])
    second = make_institution("重庆五一技师学院", name_en="Wuyi Technician College")
    html = client.get(f"/en/compare/?items={first.slug}&items={second.slug}").content.decode()
    assert '<li lang="zh-Hans">市级重点实验室</li>' in html


def test_english_cards_mark_chinese_only_names(client):
    """Tags, kickers and the compare box's label named things with no English name unmarked."""
    honour = make_honour("市级重点实验室")
    school = make_institution("重庆五一技师学院", honours=[honour])
    park = make_park("云计算产业园")
    cluster = make_cluster("医疗大数据企业集群", park=park)
    firm = make_enterprise("中迪医疗", name_en="Zhongdi Medical", park=park, cluster=cluster)
    school_url, firm_url = school.get_absolute_url(), firm.get_absolute_url()

    html = client.get("/en/institutions/").content.decode()
    assert '<li lang="zh-Hans">市级重点实验室</li>' in html
    assert '<span class="visually-hidden" lang="zh-Hans"> 重庆五一技师学院</span>' in html
    html = client.get("/en/enterprises/").content.decode()
    assert '<span lang="zh-Hans">医疗大数据企业集群</span>' in html
    assert '<p class="card__meta" lang="zh-Hans">云计算产业园</p>' in html
    html = client.get("/en/parks/").content.decode()
    assert '<li lang="zh-Hans">医疗大数据企业集群</li>' in html
    # The tags under the detail pages' titles.
    html = client.get("/en" + school_url).content.decode()
    assert f'?honour={honour.slug}" lang="zh-Hans">市级重点实验室</a>' in html
    html = client.get("/en" + firm_url).content.decode()
    assert f'?cluster={cluster.slug}" lang="zh-Hans">医疗大数据企业集群</a>' in html


def test_database_down_page_sits_in_the_site_column(monkeypatch):
    """The 503 page loaded no pages.css and no .wrap: its text touched the screen's edge."""
    institution = make_institution("重庆五一技师学院")
    url = institution.get_absolute_url()

    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = Client(raise_request_exception=False).get(url + "?uncached=1")
    assert response.status_code == 503
    html = response.text
    assert '<link rel="stylesheet" href="/static/css/pages.css">' in html
    assert '<main id="main" class="site-main">\n    <div class="wrap">' in html
    assert '<p class="error-page__code" aria-hidden="true">503</p>' in html


def test_placeholder_in_a_news_card_is_drawn_centred_not_cropped(client):
    """The generated placeholder, cropped to the card's 16:10, sat off-centre and spoke
    Chinese on English pages: a card draws the stand-in itself, name and label centred."""
    article = make_article("重庆高职城瞄准大数据智能化前沿")
    make_photo(
        article, caption="云教育产业园", caption_en="Cloud Education Park", is_placeholder=True
    )
    html = client.get("/news/").text
    assert '<div class="photo photo--placeholder">' in html
    assert (
        'class="photo__placeholder photo__placeholder--card photo__placeholder--stand-in"' in html
    )
    assert '<span class="photo__placeholder-text">云教育产业园</span>' in html
    assert '<span class="photo__placeholder-kind">（示意图，非实拍照片）</span>' in html
    assert "photo__img--card" not in html and "photo__badge" not in html
    html = client.get("/en/news/").text
    assert '<span class="photo__placeholder-text">Cloud Education Park</span>' in html
    assert '<span class="photo__placeholder-kind">(placeholder, not a photograph)</span>' in html
    # A real photograph is still the card's rendition.
    other = make_article("第二篇新闻")
    make_photo(other, caption="实训楼")
    assert "photo__img photo__img--card" in client.get("/news/").text


def test_chinese_pages_set_no_space_before_a_full_width_bracket(client, article_with_photos):
    """“院校 （1 条）”: the space English needs before “(” doubled the gap the full-width
    bracket already has (search groups, year archive, filter summary, photo captions); the
    compare page also set a space between two Chinese sentences and an ASCII colon, as did
    the list of filter values not understood, and listed unknown names with “, ”."""
    school = make_institution("重庆五一技师学院", name_en="Wuyi Technician College")
    make_figure(
        "高职毕业生就业率", name_en="Employment rate", scope="institution", institution=school
    )
    compare = f"/compare/?items={school.slug}"
    zh = {
        "/search/?q=wuyi": '院校<span class="search-group__count">（1 条）</span>',
        "/news/": '2020年<span class="year-archive__count">（1 篇）</span>',
        "/institutions/?kind=technician": '筛选与排序<span class="filters__active">（已选 1 项）',
        article_with_photos.get_absolute_url(): '云教育产业园<span class="photo__label">（示意图',
        compare: "最多可并排比较 4 所院校。<a href=",
    }
    for url, expected in zh.items():
        assert expected in client.get(url).text, url
    assert "<span>高职毕业生就业率</span>：<strong>5万余名</strong>" in client.get(compare).text
    html = client.get(f"{compare},nobody,nothing").text
    assert "以下院校未找到，已略去：nobody、nothing</p>" in html
    html = client.get("/institutions/?kind=nope").text  # a value not understood
    assert '<a href="#id_kind">类型</a>：选择一个有效的选项。' in html
    en = {
        "/en/search/?q=wuyi": 'Institutions <span class="search-group__count">(1 result)</span>',
        "/en/news/": '2020 <span class="year-archive__count">(1 article)</span>',
        "/en/institutions/?kind=technician": 'Filter and sort <span class="filters__active">(1 ',
        "/en" + compare: "side by side. <a href=",
    }
    for url, expected in en.items():
        assert expected in client.get(url).text, url
    assert "<span>Employment rate</span>: <strong>" in client.get("/en" + compare).text
    html = client.get(f"/en{compare},nobody,nothing").text
    assert "These were not found and are left out: nobody, nothing</p>" in html
    html = client.get("/en/institutions/?kind=nope").text
    assert '<a href="#id_kind">Kind</a>: Select a valid choice.' in html


def test_search_jump_links_only_when_there_is_more_than_one_group(client):
    """A search finding only figures showed a row of one link pointing just below itself."""
    school = make_institution("重庆五一技师学院", name_en="Wuyi Technician College")
    make_figure("高职毕业生就业率", scope="institution", institution=school)
    html = client.get("/search/?q=就业率").text
    assert 'id="results-figures"' in html
    assert 'class="search-jump"' not in html
    html = client.get("/search/?q=五一").text  # the school and its figure's subject line
    assert 'id="results-institutions"' in html
    make_park("五一园区")
    html = client.get("/search/?q=五一").text
    assert 'id="results-parks"' in html and 'class="search-jump"' in html


def test_empty_compare_page_titles_its_empty_box_like_the_lists(client):
    """The empty states of the lists open with a bold line; the compare page's did not."""
    html = client.get("/compare/").text
    assert '<div class="empty">\n  <p class="empty__title">尚未选择要比较的院校。</p>' in html
