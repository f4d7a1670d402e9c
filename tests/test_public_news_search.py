"""The public news pages, feed, key figures, search, sitemap, robots.txt and error pages."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.views.defaults import server_error

from directory.cache import current_generation
from directory.formatting import format_figure
from directory.models import Article, ArticleSection, Figure, Status
from tests.factories import (
    make_article,
    make_cluster,
    make_enterprise,
    make_figure,
    make_institution,
    make_park,
    make_partnership,
    make_photo,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in Chinese: a request to /en/ leaves English active in this thread."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


def future():
    return timezone.now() + datetime.timedelta(days=30)


# ---------------------------------------------------------------- shared data


@pytest.fixture
def city():
    """A small city: one institution, park and enterprise; news of 2020 and 2019; drafts."""
    wuyi = make_institution("重庆五一技师学院", aliases="五一技师", summary="技能人才的摇篮")
    hidden_school = make_institution("草稿职业学院", status=Status.DRAFT)
    park = make_park("云计算产业园", summary="大数据产业的载体")
    enterprise = make_enterprise("中迪医疗", park=park)
    main = make_article(
        "重庆高职城瞄准大数据智能化前沿",
        name_en="The City Aims at Big Data",
        subtitle="“绿色书香智城”乘势崛起成巴南名片",
        summary="短短几年时间，重庆高职城乘势崛起。\n\n目前已引进项目40余家。",
        byline="王彩艳 肖亚平",
        picture_credit="巴南区经济和信息化委员会",
        body="<p>第一段正文。</p>",
    )
    ArticleSection.objects.filter(article=main).update(heading="建设西部新技能人才培育高地")
    ArticleSection.objects.create(
        article=main, order=2, heading="打造软件及信息服务外包基地", body="<p>第二段正文。</p>"
    )
    main.institutions.add(wuyi, hidden_school)
    main.enterprises.add(enterprise)
    main.parks.add(park)
    make_photo(main, caption="云教育产业园", credit="巴南区经信委", is_placeholder=True, order=1)
    make_photo(main, caption="重庆五一技师学院实训楼", credit="重庆高职城", order=2)
    older = make_article("云计算产业园开园", year=2019)
    older.parks.add(park)
    draft = make_article("尚未发布的草稿新闻", status=Status.DRAFT)
    scheduled = make_article("定时发布的新闻", publish_at=future())
    figure = make_figure(
        "输送优秀毕业生", value=Decimal("50000"), unit="名", qualifier="plus", article=main
    )
    return {
        "wuyi": wuyi,
        "hidden_school": hidden_school,
        "park": park,
        "enterprise": enterprise,
        "main": main,
        "older": older,
        "draft": draft,
        "scheduled": scheduled,
        "figure": figure,
    }


def count_queries(client, url):
    """Queries of one uncached request (the page cache is cleared first).

    The content generation is set up before counting: that happens once per cache, not per page.
    """
    cache.clear()
    current_generation()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- news list


def test_news_list_shows_published_news_with_feed_link(client, city):
    response = client.get("/news/")
    html = response.text
    assert response.status_code == 200
    assert city["main"].name in html
    assert city["older"].name in html
    assert city["draft"].name not in html
    assert city["scheduled"].name not in html
    assert 'type="application/rss+xml"' in html
    assert 'href="/news/feed/"' in html
    assert '<html lang="zh-Hans">' in html


def test_news_year_archive_lists_years_with_counts_and_filters(client, city):
    make_article("另一条2020年新闻")
    response = client.get("/news/", {"year": "2019"})
    html = response.text
    assert city["older"].name in html
    assert city["main"].name not in html
    years = response.context["year_counts"]
    # Drafts and scheduled news are not counted: 2020 holds the main article and one more.
    assert years == [{"year": 2020, "count": 2}, {"year": 2019, "count": 1}]
    assert "2019年" in html
    assert "?year=2020" in html


@pytest.mark.parametrize(
    "param, key, expected_in, expected_out",
    [
        ("institution", "wuyi", "main", "older"),
        ("enterprise", "enterprise", "main", "older"),
        ("park", "park", "older", None),
    ],
)
def test_news_filters_by_related_entity(client, city, param, key, expected_in, expected_out):
    response = client.get("/news/", {param: city[key].slug})
    titles = [a.name for a in response.context["articles"]]
    assert city[expected_in].name in titles
    if expected_out:
        assert city[expected_out].name not in titles
    if param == "park":
        assert set(titles) == {city["main"].name, city["older"].name}


def test_news_filter_choices_never_offer_drafts(client, city):
    response = client.get("/news/")
    choices = dict(response.context["filter"].form.fields["institution"].choices)
    assert city["wuyi"].slug in choices
    assert city["hidden_school"].slug not in choices


@pytest.mark.parametrize("q", ["智能化", "zhinenghua", "CQGZC"])
def test_news_keyword_search_in_chinese_pinyin_and_initials(client, city, q):
    titles = [a.name for a in client.get("/news/", {"q": q}).context["articles"]]
    assert titles == [city["main"].name]


def test_news_pagination_keeps_filters(client, city):
    for n in range(25):
        make_article(f"分页测试新闻{n:02d}")
    response = client.get("/news/", {"year": "2020", "page": "2"})
    html = response.text
    page = response.context["page_obj"]
    assert page.number == 2
    assert page.paginator.count == 26  # 25 + the main article, all of 2020
    assert "?year=2020&amp;page=3" in html
    assert "?year=2020&amp;page=1" in html
    assert re.search(r'href="\?year=2020&amp;page=3"[^>]*rel="next"', html)


@pytest.mark.parametrize(
    "params, error",
    [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"institution": "no-such-school"}, "institution"),
        ({"park": "<script>"}, "park"),
        ({"q": "x" * 5000}, "q"),
    ],
)
def test_news_bad_filter_values_show_the_error_never_500(client, city, params, error):
    response = client.get("/news/", params)
    assert response.status_code == 200
    assert error in response.context["filter"].form.errors
    assert 'class="form-errors"' in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_news_bad_filter_is_ignored_while_good_ones_still_filter(client, city):
    response = client.get("/news/", {"year": "2019", "institution": "no-such-school"})
    titles = [a.name for a in response.context["articles"]]
    assert titles == [city["older"].name]


@pytest.mark.parametrize("page, expected", [("abc", 1), ("999", 3), ("-1", 3), ("3", 3)])
def test_news_page_out_of_range_or_not_a_number_never_500(client, city, page, expected):
    for n in range(22):
        make_article(f"页码新闻{n}")
    response = client.get("/news/", {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_news_in_english_has_lang_en_and_english_titles(client, city):
    html = client.get("/en/news/").text
    assert '<html lang="en">' in html
    assert "The City Aims at Big Data" in html
    assert 'href="/en/news/feed/"' in html


# ---------------------------------------------------------------- article page


def test_article_page_shows_everything_the_article_holds(client, city):
    main = city["main"]
    response = client.get(main.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert f">{main.name}</h1>" in html
    assert main.subtitle in html
    assert ">2020年</time>" in html
    assert main.byline in html
    assert f"图片由{main.picture_credit}提供。" in html
    assert 'class="summary-box"' in html
    assert "<p>短短几年时间，重庆高职城乘势崛起。</p>" in html
    assert html.index("建设西部新技能人才培育高地") < html.index("打造软件及信息服务外包基地")
    assert "<p>第二段正文。</p>" in html
    # Photos with captions and credits; the placeholder is labelled as such.
    assert "重庆五一技师学院实训楼" in html
    assert re.search(r'class="photo__credit">[^<]*重庆高职城</span>', html)
    assert "photo--placeholder" in html
    assert 'class="photo__badge"' in html
    # Related entities linked; the draft school is not.
    assert f'href="{city["wuyi"].get_absolute_url()}"' in html
    assert f'href="{city["park"].get_absolute_url()}"' in html
    assert f'href="{city["enterprise"].get_absolute_url()}"' in html
    assert city["hidden_school"].name not in html
    # The figures taken from this article, linked to the figure's own address.
    assert f'href="/figures/{city["figure"].slug}/"' in html
    assert "5万余名" in html


def test_article_page_never_pretends_to_a_day(client, city):
    html = client.get(city["main"].get_absolute_url()).text
    assert '<time datetime="2020">2020年</time>' in html
    assert not re.search(r"2020年\d+月", html)


def test_article_page_meta_canonical_and_opengraph(client, city):
    main = city["main"]
    html = client.get(main.get_absolute_url()).text
    assert f'<link rel="canonical" href="http://testserver{main.get_absolute_url()}">' in html
    assert '<meta name="description" content="短短几年时间' in html
    assert f'<meta property="og:title" content="{main.name}">' in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://testserver/")
    assert 'type="application/rss+xml"' in html


def test_article_og_image_is_the_first_real_photo(client, city):
    article = make_article("有照片的新闻")
    make_photo(article, caption="占位图", is_placeholder=True, order=0)
    first = make_photo(article, caption="第一张", order=1)
    make_photo(article, caption="第二张", order=2)
    html = client.get(article.get_absolute_url()).text
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://testserver/media/renditions/" + first.image.name)
    assert "1200x630" in og_image
    assert first.image.url.startswith("/media/photos/")


def test_article_og_image_falls_back_to_the_default(client, city):
    html = client.get(city["older"].get_absolute_url()).text
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://testserver/static/img/og-default")


def test_article_previous_and_next(client, city):
    newest = make_article("最新的新闻", year=2021)
    response = client.get(city["main"].get_absolute_url())
    assert response.context["newer"] == newest
    assert response.context["older"] == city["older"]
    assert f'href="{newest.get_absolute_url()}"' in response.text
    assert f'href="{city["older"].get_absolute_url()}"' in response.text
    # The oldest article has no older one, and drafts are never neighbours.
    response = client.get(city["older"].get_absolute_url())
    assert response.context["older"] is None
    assert response.context["newer"] == city["main"]


def test_previous_and_next_follow_dates_within_a_year():
    undated_a = make_article("无日期甲")
    undated_b = make_article("无日期乙")
    june = make_article("六月", date=datetime.date(2020, 6, 1))
    march = make_article("三月", date=datetime.date(2020, 3, 1))
    make_article("草稿", date=datetime.date(2020, 4, 1), status=Status.DRAFT)
    published = Article.objects.published()
    # newest_first(): dated news first (newest first), then the undated ones (newest first).
    order = [june, march, undated_b, undated_a]
    assert list(published.newest_first()) == order
    for newer, older in zip(order, order[1:], strict=False):
        assert published.older_than(newer).first() == older
        assert published.newer_than(older).first() == newer
    assert published.newer_than(june).first() is None
    assert published.older_than(undated_a).first() is None


@pytest.mark.parametrize("key", ["draft", "scheduled"])
def test_draft_or_scheduled_article_is_404(client, city, key):
    assert client.get(f"/news/{city[key].slug}/").status_code == 404


def test_unknown_article_is_404(client, city):
    response = client.get("/news/no-such-article/")
    assert response.status_code == 404
    assert 'class="error-page"' in response.text


def test_article_in_english(client, city):
    html = client.get("/en" + city["main"].get_absolute_url()).text
    assert '<html lang="en">' in html
    assert "The City Aims at Big Data" in html
    assert ">2020</time>" in html


# ---------------------------------------------------------------- feed


def test_feed_is_valid_rss_of_published_news(client, city):
    response = client.get("/news/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    channel = root.find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [city["main"].name, city["older"].name]
    links = [item.findtext("link") for item in channel.findall("item")]
    assert links[0] == "http://testserver" + city["main"].get_absolute_url()
    assert channel.findtext("language") == "zh-hans"
    # The year alone is never dressed up as a day.
    assert channel.find("item").find("pubDate") is None


def test_feed_in_english(client, city):
    root = ET.fromstring(client.get("/en/news/feed/").content)
    channel = root.find("channel")
    assert channel.findtext("language") == "en"
    first = channel.find("item")
    assert first.findtext("title") == "The City Aims at Big Data"
    assert first.findtext("link").startswith("http://testserver/en/news/")


def test_feed_gives_a_date_only_when_the_day_is_known(client):
    make_article("有日期的新闻", date=datetime.date(2020, 5, 4))
    item = ET.fromstring(client.get("/news/feed/").content).find("channel/item")
    assert "04 May 2020" in item.findtext("pubDate")


# ---------------------------------------------------------------- sitemap and robots


def _sitemap(client):
    """Every <url> of every section the sitemap index names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = [loc.text for loc in ET.fromstring(index.content).iter(f"{{{SITEMAP_NS['sm']}}}loc")]
    assert sections
    urls = {}
    for section in sections:
        response = client.get(urlsplit(section).path + "?" + urlsplit(section).query)
        assert response.status_code == 200
        for url in ET.fromstring(response.content).findall("sm:url", SITEMAP_NS):
            alternates = {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", SITEMAP_NS)
            }
            urls[url.findtext("sm:loc", namespaces=SITEMAP_NS)] = alternates
    return urls


def test_sitemap_lists_every_public_page_in_both_languages(client, city):
    urls = _sitemap(client)
    base = "http://testserver"
    for path in [
        "/",
        "/institutions/",
        "/enterprises/",
        "/parks/",
        "/partnerships/",
        "/news/",
        "/figures/",
        city["wuyi"].get_absolute_url(),
        city["park"].get_absolute_url(),
        city["enterprise"].get_absolute_url(),
        city["main"].get_absolute_url(),
    ]:
        assert base + path in urls, path
        assert base + "/en" + path in urls, path
    alternates = urls[base + city["main"].get_absolute_url()]
    assert alternates["zh-hans"] == base + city["main"].get_absolute_url()
    assert alternates["en"] == base + "/en" + city["main"].get_absolute_url()
    assert alternates["x-default"] == base + city["main"].get_absolute_url()


def test_sitemap_leaves_out_drafts_scheduled_and_search(client, city):
    locations = " ".join(_sitemap(client))
    for key in ["draft", "scheduled", "hidden_school"]:
        assert f"/{city[key].slug}/" not in locations
    assert "/search/" not in locations
    assert "/compare/" not in locations


def test_robots_names_the_sitemap_and_disallows_the_admin(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert f"Disallow: /{settings.ADMIN_URL}" in lines
    assert f"Disallow: /en/{settings.ADMIN_URL}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_and_sitemap_use_site_url_when_set(client, settings, city):
    settings.SITE_URL = "https://www.example.cn"
    assert "Sitemap: https://www.example.cn/sitemap.xml" in client.get("/robots.txt").text
    assert "https://www.example.cn/en/news/" in _sitemap(client)


# ---------------------------------------------------------------- key figures


@pytest.fixture
def figures(city):
    wuyi = city["wuyi"]
    cluster = make_cluster("医疗大数据企业集群")
    return {
        "city_students": make_figure(
            "在校生",
            value=Decimal("50000"),
            unit="名",
            qualifier="plus",
            article=city["main"],
            order=1,
        ),
        "city_teachers": make_figure(
            "教师", value=Decimal("3000"), unit="名", qualifier="", order=2
        ),
        "district_target": make_figure(
            "软件与信息服务外包从业人数",
            value=Decimal("50000"),
            unit="人",
            qualifier="",
            scope="district",
            figure_status="target",
            horizon="3–5年",
            order=3,
        ),
        "district_now": make_figure(
            "现有从业人数",
            value=Decimal("20000"),
            unit="人",
            qualifier="",
            scope="district",
            order=4,
        ),
        "wuyi_rate": make_figure(
            "高职毕业生就业率",
            value=Decimal("97"),
            unit="%",
            qualifier="and_above",
            scope="institution",
            institution=wuyi,
            order=5,
        ),
        "cluster": make_figure(
            "入驻企业",
            value=Decimal("17"),
            unit="家",
            qualifier="",
            scope="cluster",
            cluster=cluster,
            order=6,
        ),
        "draft": make_figure(
            "草稿数据", value=Decimal("1"), unit="个", qualifier="", status=Status.DRAFT
        ),
        "of_draft_school": make_figure(
            "草稿学校的数据",
            value=Decimal("2"),
            unit="个",
            qualifier="",
            scope="institution",
            institution=city["hidden_school"],
        ),
    }


def _card(html, figure):
    """The <li> of one figure on the figures page."""
    anchor = html.index(f'id="{figure.slug}"')
    start = html.rindex("<li", 0, anchor)
    return html[start : html.index("</li>", anchor)]


def test_figures_grouped_by_whom_they_describe(client, figures, city):
    response = client.get("/figures/")
    html = response.text
    groups = response.context["groups"]
    assert [g.scope for g in groups] == ["city", "district", "institution", "cluster"]
    city_group = groups[0]
    assert [f.name for f in city_group.figures] == ["输送优秀毕业生", "在校生", "教师"]
    assert groups[2].subject == city["wuyi"]
    assert f'href="{city["wuyi"].get_absolute_url()}"' in html
    # Order on the page: the city, then the district, then the institution, then the cluster.
    positions = [
        html.index(f'id="{f.slug}"')
        for f in (
            figures["city_students"],
            figures["district_target"],
            figures["wuyi_rate"],
            figures["cluster"],
        )
    ]
    assert positions == sorted(positions)


def test_figures_page_never_shows_drafts_or_figures_of_draft_subjects(client, figures, city):
    html = client.get("/figures/").text
    assert "草稿数据" not in html
    assert "草稿学校的数据" not in html
    assert city["hidden_school"].name not in html


def test_each_figure_is_formatted_with_its_anchor_and_source(client, figures, city):
    html = client.get("/figures/").text
    students = figures["city_students"]
    assert f'id="{students.slug}"' in html
    card = _card(html, students)
    assert '<span class="num">5万</span>余名' in card
    assert "在校生" in card
    assert f'href="{city["main"].get_absolute_url()}"' in card
    assert '<span class="num">97</span>%以上' in html


def test_a_source_shared_by_a_whole_group_is_named_once(client, figures):
    article = make_article("测试来源新闻")
    Figure.objects.filter(scope="city").update(article=article)
    Figure.objects.filter(pk=figures["district_target"].pk).update(article=article)
    html = client.get("/figures/").text
    city = html[html.index('id="scope-city"') : html.index('id="scope-district"')]
    assert city.count(article.get_absolute_url()) == 1  # once, above the cards
    assert "figure-card__source" not in city
    district = html[html.index('id="scope-district"') :]
    assert "figure-card__source" in district  # the district's figures come from several


def test_figures_achieved_and_target_are_told_apart_in_words(client, figures):
    html = client.get("/figures/").text
    target = figures["district_target"]
    card = _card(html, target)
    assert "figure-card--target" in card
    assert "badge--target" in card
    assert "3–5年" in card
    card = _card(html, figures["district_now"])
    assert "badge--achieved" in card
    assert "figure-card--target" not in card


def _charts(html):
    return re.findall(r'<div class="chart" id="[^"]+">.*?</ol>', html, flags=re.S)


def test_figures_page_draws_labelled_charts(client, figures):
    html = client.get("/figures/").text
    charts = _charts(html)
    # The city (两个 名) and the district (两个 人) have comparable figures; the others not.
    assert len(charts) == 2
    city_chart, district_chart = charts
    # Every number and name is text (it wraps on a phone); the bars are decoration.
    assert "5万余名" in city_chart and "3000名" in city_chart
    assert "在校生" in city_chart and "教师" in city_chart
    assert re.search(r'<ol class="chart-rows" aria-label="[^"]+">', city_chart)
    tracks = re.findall(r'<svg class="chart-track"[^>]*>', city_chart)
    assert len(tracks) == 3 and all('aria-hidden="true"' in svg for svg in tracks)
    # The target reads without colour: hatched, outlined and labelled in words.
    target_bar = re.search(r'<rect [^>]*class="chart-bar chart-bar--target"/>', district_chart)
    assert 'fill="url(#' in target_bar.group(0)
    pattern_id = re.search(r'fill="url\(#([^)]+)\)"', target_bar.group(0)).group(1)
    assert f'<pattern id="{pattern_id}"' in district_chart
    rows = district_chart[district_chart.index('<ol class="chart-rows"') :]
    achieved_bar = re.search(r'<rect [^>]*class="chart-bar chart-bar--achieved"/>', rows).group(0)
    assert 'fill="url(#' not in achieved_bar
    assert "（目标 3–5年）" in rows
    assert "chart-bar--target" not in city_chart
    assert not any("style=" in chart for chart in charts)


def test_bar_chart_scales_bars_and_escapes_text():
    with translation.override("zh-hans"):
        big = make_figure("大<b>", value=Decimal("200"), unit="个", qualifier="")
        small = make_figure("小", value=Decimal("50"), unit="个", qualifier="")
        html = Template("{% load chart_tags %}{% bar_chart figures title 'c1' %}").render(
            Context({"figures": [big, small], "title": "标题 & <x>"})
        )
        empty = Template("{% load chart_tags %}{% bar_chart figures 'empty' 'c2' %}").render(
            Context({"figures": []})
        )
    assert 'width="100.00%"' in html
    assert 'width="25.00%"' in html
    assert "大&lt;b&gt;" in html
    assert 'aria-label="标题 &amp; &lt;x&gt;"' in html
    assert 'id="c1"' in html
    assert empty.strip() == ""


def test_figures_page_in_english(client, figures):
    html = client.get("/en/figures/").text
    assert '<html lang="en">' in html
    with translation.override("en"):
        expected = format_figure(figures["city_students"])
    assert expected in html
    assert "more than 50,000" in expected


def test_figure_times_are_in_the_visitors_language(client, figures):
    target = figures["district_target"]
    Figure.objects.filter(pk=target.pk).update(horizon_en="within 3–5 years")
    figures["district_now"].period = "每年"  # held only in Chinese
    figures["district_now"].save()

    english = client.get("/en/figures/").text
    card = _card(english, target)
    assert "within 3–5 years" in card and "3–5年" not in card
    assert "(target within 3–5 years)" in english  # the chart's label
    # Chinese-only text on an English page is marked as Chinese.
    assert '<span lang="zh-Hans">每年</span>' in _card(english, figures["district_now"])

    chinese = client.get("/figures/").text
    assert "3–5年" in _card(chinese, target) and "within" not in chinese
    assert "目标（斜线填充）" in chinese  # the charts' legend


def test_article_page_tells_targets_from_achieved_figures(client, figures):
    article = make_article("测试新闻含数据")
    Figure.objects.filter(pk=figures["district_target"].pk).update(article=article)
    Figure.objects.filter(pk=figures["district_now"].pk).update(article=article)
    html = client.get(article.get_absolute_url()).text
    chips = html[html.index('class="figure-chips"') :]
    target_chip = next(chip for chip in chips.split("</li>") if "现有从业人数" not in chip)
    achieved_chip = next(chip for chip in chips.split("</li>") if "现有从业人数" in chip)
    assert "目标" in target_chip and "3–5年" in target_chip
    assert "目标" not in achieved_chip


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("q", ["五一", "wuyi", "WYJS", "wyjs", "ＷＵＹＩ", "五一技师"])
def test_search_finds_wuyi_by_chinese_pinyin_and_initials(client, city, q):
    response = client.get("/search/", {"q": q})
    groups = {g.key: g for g in response.context["groups"]}
    assert city["wuyi"] in groups["institutions"].results
    assert f'href="{city["wuyi"].get_absolute_url()}"' in response.text


def test_search_groups_by_type_with_counts_and_caps(client, city):
    for n in range(12):
        make_institution(f"重庆云计算职业学院{n}")
    make_partnership(institution=city["wuyi"], enterprise=city["enterprise"], name="云计算订单班")
    response = client.get("/search/", {"q": "yunjisuan"})
    groups = {g.key: g for g in response.context["groups"]}
    assert groups["institutions"].total == 12
    assert len(groups["institutions"].results) == 10
    assert groups["institutions"].has_more
    assert 'href="/institutions/?q=yunjisuan"' in response.text
    assert groups["parks"].total == 1
    assert groups["partnerships"].total == 1
    assert groups["news"].total == 1  # 云计算产业园开园
    assert groups["enterprises"].total == 0
    assert response.context["total"] == 15
    assert 'id="results-enterprises"' not in response.text


def test_search_leaves_out_partnerships_the_partnership_list_hides(client, city):
    draft_company = make_enterprise("草稿企业", status="draft")
    make_partnership(institution=city["wuyi"], enterprise=draft_company, name="草稿订单班")
    make_partnership(institution=city["wuyi"], enterprise=city["enterprise"], name="公开订单班")
    response = client.get("/search/", {"q": "dingdanban"})
    partnerships = {g.key: g for g in response.context["groups"]}["partnerships"]
    assert [p.name for p in partnerships.results] == ["公开订单班"]
    assert partnerships.total == 1
    assert "草稿" not in response.text
    listed = client.get("/partnerships/", {"q": "dingdanban"}).context["partnerships"]
    assert [p.name for p in listed] == ["公开订单班"]


@pytest.mark.parametrize("value", ["绝密", "秘密", "mimi", "mimikeji"])
def test_a_draft_enterprise_cannot_be_found_through_the_news_filter(client, value):
    draft = make_enterprise("秘密科技有限公司", aliases="绝密", slug="mimikeji", status="draft")
    article = make_article("提到秘密的新闻")
    article.enterprises.add(draft)
    response = client.get("/news/", {"enterprise": value})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert client.get("/news/").context["articles"][0] == article  # the news itself is public


def test_search_links_to_the_park_list_without_a_query_it_cannot_take(client, city):
    for n in range(11):
        make_park(f"测试园区{n:02d}")
    response = client.get("/search/", {"q": "ceshiyuanqu"})
    parks = {g.key: g for g in response.context["groups"]}["parks"]
    assert parks.total == 11 and parks.has_more
    assert parks.more_url == "/parks/"
    assert 'href="/parks/"' in response.text.split('id="results-parks"', 1)[1]


def test_search_finds_key_figures_and_says_whose_they_are(client, city):
    school_figure = make_figure(
        "高职毕业生就业率",
        value=Decimal("97"),
        unit="%",
        qualifier="",
        scope="institution",
        institution=city["wuyi"],
    )
    make_figure("草稿就业率", status="draft")
    make_figure("草稿学校就业率", scope="institution", institution=city["hidden_school"])
    response = client.get("/search/", {"q": "就业率"})
    figures = {g.key: g for g in response.context["groups"]}["figures"]
    assert figures.results == [school_figure] and figures.total == 1
    section = response.text.split('id="results-figures"', 1)[1]
    assert f'href="{school_figure.get_absolute_url()}"' in section
    assert "97" in section and "重庆五一技师学院" in section
    assert "草稿" not in response.text.split("<main", 1)[1]
    # A figure of the whole city is named as the city's; pinyin works as for names.
    city_figures = client.get("/search/", {"q": "shusong"}).context["groups"][-1]
    assert [f.name for f in city_figures.results] == ["输送优秀毕业生"]
    english = client.get("/en/search/", {"q": "shusong"}).text.split('id="results-figures"', 1)[1]
    assert "Key figures" in english and "The city" in english


def test_search_never_shows_drafts(client, city):
    response = client.get("/search/", {"q": "草稿"})
    assert response.context["total"] == 0
    assert city["hidden_school"].name not in response.text.split("<main", 1)[1]
    response = client.get("/search/", {"q": "定时发布"})
    assert response.context["total"] == 0


def test_search_with_empty_query_is_a_helpful_page(client, city):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert 'id="search-tips-title"' in response.text
    assert 'href="/institutions/"' in response.text


def test_search_nothing_found_is_a_helpful_page(client, city):
    response = client.get("/search/", {"q": "zzzqqq"})
    html = response.text
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "zzzqqq" in html
    assert 'id="search-tips-title"' in html
    assert "<kbd>wuyi</kbd>" in html
    assert 'href="/news/"' in html


@pytest.mark.parametrize(
    "q",
    [
        "x" * 5000,
        "%",
        "_",
        "%%",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        " ".join(["a"] * 3000),
    ],
)
def test_search_hostile_queries_never_500_and_are_escaped(client, city, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    main = response.text.split("<main", 1)[1]
    assert "<script>alert(1)</script>" not in main
    assert len(response.context["query"]) <= 100


def test_search_wildcards_match_literally(client, city):
    for q in ["%", "_"]:
        assert client.get("/search/", {"q": q}).context["total"] == 0


def test_search_escapes_the_query_in_the_page(client, city):
    html = client.get("/search/", {"q": "<b>五一</b>"}).text
    assert "&lt;b&gt;五一&lt;/b&gt;" in html
    assert "<b>五一</b>" not in html


def test_search_in_english(client, city):
    with translation.override("en"):
        wuyi_url = city["wuyi"].get_absolute_url()
    assert wuyi_url.startswith("/en/")
    response = client.get("/en/search/", {"q": "wuyi"})
    assert '<html lang="en">' in response.text
    assert 'href="/en/institutions/?q=wuyi"' not in response.text  # only one result: no "see all"
    assert f'href="{wuyi_url}"' in response.text


# ---------------------------------------------------------------- error pages


@pytest.mark.parametrize("url, lang", [("/no-such-page/", "zh-Hans"), ("/en/no-such-page/", "en")])
def test_unknown_urls_give_the_designed_404(client, url, lang):
    response = client.get(url)
    html = response.text
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in html
    assert 'class="error-page"' in html
    assert 'class="site-header"' in html
    assert 'name="q"' in html
    assert "/static/css/pages.css" in html


def test_500_page_renders_without_any_context():
    request = RequestFactory().get("/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'href="/static/css/site.css"' in html
    assert 'class="error-page"' in html
    assert "500" in html
    assert "{%" not in html


# ---------------------------------------------------------------- query counts


def _grow_news(n, city):
    """n more published articles, each with a section, two photos and related entities."""
    for i in range(n):
        article = make_article(f"批量新闻{i:03d}", year=2000 + i % 20)
        ArticleSection.objects.create(article=article, order=2, heading="小标题", body="<p>段</p>")
        make_photo(article, caption=f"图{i}a", is_placeholder=True)
        make_photo(article, caption=f"图{i}b")
        article.institutions.add(make_institution(f"批量学院{i:03d}"), city["wuyi"])
        article.enterprises.add(make_enterprise(f"批量企业{i:03d}"))
        article.parks.add(city["park"])


def _grow_main_article(n, city):
    main = city["main"]
    for i in range(n):
        ArticleSection.objects.create(
            article=main, order=10 + i, heading=f"节{i}", body="<p>段</p>"
        )
        make_photo(main, caption=f"主图{i}")
        main.institutions.add(make_institution(f"提及学院{i:03d}"))
        main.enterprises.add(make_enterprise(f"提及企业{i:03d}"))
        main.parks.add(make_park(f"提及园区{i:03d}"))
        make_figure(f"主文数据{i}", article=main)


def _grow_figures(n):
    for i in range(n):
        school = make_institution(f"数据学院{i:03d}")
        park = make_park(f"数据园区{i:03d}")
        make_figure(f"学院数据{i}a", scope="institution", institution=school, unit="个")
        make_figure(
            f"学院数据{i}b",
            scope="institution",
            institution=school,
            unit="个",
            figure_status="target",
            horizon="至2030年",
        )
        make_figure(f"园区数据{i}", scope="park", park=park, unit="家")
        make_figure(f"城市数据{i}", unit="名")


def _grow_search(n, city):
    for i in range(n):
        school = make_institution(f"搜索学院{i:03d}")
        company = make_enterprise(f"搜索企业{i:03d}", park=city["park"])
        make_park(f"搜索园区{i:03d}")
        make_partnership(institution=school, enterprise=company, name=f"搜索合作{i:03d}")
        make_article(f"搜索新闻{i:03d}")


NEWS_URLS = [
    "/news/",
    "/news/?year=2020&institution=chongqingwuyijishixueyuan&page=2",
    "/en/news/?q=yuan&park=yunjisuanchanyeyuan",
    "/news/feed/",
]


@pytest.mark.parametrize("url", NEWS_URLS)
def test_news_list_and_feed_queries_do_not_grow_with_data(client, city, url):
    few = count_queries(client, url)
    _grow_news(40, city)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_article_page_queries_do_not_grow_with_data(client, city):
    url = city["main"].get_absolute_url()
    few = count_queries(client, url)
    _grow_main_article(15, city)
    _grow_news(10, city)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("url", ["/figures/", "/en/figures/"])
def test_figures_page_queries_do_not_grow_with_data(client, city, url):
    make_figure("城市数据", unit="名")
    few = count_queries(client, url)
    _grow_figures(25)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("q", ["sousuo", "搜索", "SSXY", "nothing-here"])
def test_search_queries_do_not_grow_with_data(client, city, q):
    url = "/search/?q=" + q
    few = count_queries(client, url)
    _grow_search(25, city)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml", "/sitemap-institutions.xml"])
def test_sitemap_queries_do_not_grow_with_data(client, city, url):
    few = count_queries(client, url)
    _grow_news(20, city)
    _grow_search(20, city)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_sitemap_sections_are_paged(client, city, monkeypatch):
    from directory import seo

    monkeypatch.setattr(seo.ArticleSitemap, "limit", 1)
    _grow_news(3, city)
    index = client.get("/sitemap.xml").text
    assert "/sitemap-news.xml?p=2" in index
    page_two = client.get("/sitemap-news.xml?p=2")
    assert page_two.status_code == 200 and page_two.text.count("<url>") == 1
    assert client.get("/sitemap-news.xml?p=999").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 1000])
def test_sitemap_pages_hold_each_item_in_each_language_once(city, limit):
    """The database-sliced (item, language) pairs page exactly like Django's full list."""
    from django.core.paginator import Paginator

    from directory import seo

    _grow_news(4, city)
    sitemap = seo.ArticleSitemap()
    naive = [(item, code) for item in sitemap.items() for code in sitemap._languages()]
    lazy = Paginator(sitemap._items(), limit)
    expected = Paginator(naive, limit)
    assert lazy.count == expected.count == len(naive)
    for number in expected.page_range:
        assert list(lazy.page(number).object_list) == list(expected.page(number).object_list)


def test_sitemap_index_counts_items_without_loading_them(client, city):
    _grow_news(5, city)
    cache.clear()
    current_generation()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    news_table = Article._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if news_table in q["sql"]]
    assert reads and all("COUNT(" in sql or "MAX(" in sql for sql in reads), reads


def test_empty_search_and_robots_need_no_queries(client, city):
    assert count_queries(client, "/search/") == 0
    assert count_queries(client, "/robots.txt") == 0


def test_query_counter_counts(client, city):
    """The helper really counts: a page that reads the database reports queries."""
    assert count_queries(client, "/news/") > 0


def test_figures_page_is_paged_by_subject_and_keeps_every_figure(client, city, monkeypatch):
    from directory.views.figures import FigureListView

    monkeypatch.setattr(FigureListView, "groups_per_page", 1)
    make_figure("城市数据", scope="city")
    make_figure("院校数据", scope="institution", institution=city["wuyi"])
    first = client.get("/figures/")
    assert first.status_code == 200
    assert len(first.context["groups"]) == 1
    assert first.context["page_obj"].paginator.count > 1
    assert "?page=2" in first.text
    last = client.get("/figures/?page=999")
    assert last.status_code == 200
    assert last.context["page_obj"].number == last.context["page_obj"].paginator.num_pages
    assert client.get("/figures/?page=abc").status_code == 200


def test_figures_pages_together_hold_every_visible_figure_once_in_order(
    client, figures, city, monkeypatch
):
    """Subjects are sliced in SQL: walking the pages gives the one-page order, no figure lost."""
    from directory.views.figures import FigureListView

    def keys(response):
        return [(g.scope, g.subject, [f.pk for f in g.figures]) for g in response.context["groups"]]

    whole = client.get("/figures/")
    expected = keys(whole)
    assert len(expected) >= 4

    monkeypatch.setattr(FigureListView, "groups_per_page", 2)
    walked = []
    page = 1
    while True:
        response = client.get(f"/figures/?page={page}")
        walked += keys(response)
        # The lead counts every visible figure, not only this page's.
        assert response.context["figure_count"] == whole.context["figure_count"]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert walked == expected
    assert page == (len(expected) + 1) // 2


def test_figure_address_leads_to_the_page_and_card_that_show_it(client, figures, monkeypatch):
    """Subjects are paged, so a figure's link goes through its own address to the right page."""
    from directory.views.figures import FigureListView

    response = client.get(figures["city_students"].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/figures/#{figures['city_students'].slug}"

    monkeypatch.setattr(FigureListView, "groups_per_page", 1)
    # Groups in page order: the city, the district, the institution, the cluster.
    for figure, page in [("district_now", 2), ("wuyi_rate", 3), ("cluster", 4)]:
        slug = figures[figure].slug
        response = client.get(f"/figures/{slug}/")
        assert response["Location"] == f"/figures/?page={page}#{slug}"
        assert f'id="{slug}"' in client.get(f"/figures/?page={page}").text

    english = client.get(f"/en/figures/{figures['wuyi_rate'].slug}/")
    assert english["Location"] == f"/en/figures/?page=3#{figures['wuyi_rate'].slug}"


@pytest.mark.parametrize("figure", ["draft", "of_draft_school"])
def test_figure_address_of_hidden_figures_is_not_found(client, figures, figure):
    assert client.get(f"/figures/{figures[figure].slug}/").status_code == 404
    assert client.get("/figures/no-such-figure/").status_code == 404
