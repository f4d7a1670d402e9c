"""The public directory pages: home, institutions, enterprises, parks, partnerships, compare.

Content, every filter, A–Z, ordering, pagination that keeps the filters, bad input (never a
500), drafts never shown, both languages, and flat query counts (3 objects vs 30).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from directory.models import NotableAlumnus, Status
from directory.views.enterprises import EnterpriseListView
from directory.views.institutions import InstitutionListView
from directory.views.mixins import back_to_list
from directory.views.partnerships import PartnershipListView
from tests.factories import (
    make_article,
    make_cluster,
    make_enterprise,
    make_figure,
    make_honour,
    make_institution,
    make_park,
    make_partnership,
    make_photo,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Measure the views themselves: the anonymous page cache would answer repeats."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _chinese_outside_requests():
    """A request to /en/ leaves English active in the thread; get_absolute_url() in the
    test body must build Chinese (unprefixed) URLs."""
    translation.activate("zh-hans")
    yield
    translation.deactivate()


def text(html):
    """The page's text without tags, for numbers split into <span class="num">."""
    return re.sub(r"<[^>]+>", "", html)


def as_draft(obj):
    obj.status = Status.DRAFT
    obj.save()
    return obj


def result_cards(html):
    """The card titles of a list page's results, in order."""
    return re.findall(r'class="card__title"[^>]*><a href="[^"]*">([^<]+)</a>', html)


@pytest.fixture
def city():
    """A small city: two parks, a cluster, three institutions, enterprises, partnerships."""
    skills = make_honour("世赛中国集训基地", name_en="WorldSkills China Training Base")
    lab = make_honour("市级重点实验室")
    draft_honour = as_draft(make_honour("草稿荣誉"))
    cloud = make_park(
        "云计算产业园", location="巴南区高职城", focus="大数据、云计算", is_industrial_park=True
    )
    talent = make_park(
        "西部人才产业园", is_industrial_park=True, is_functional_project=True, summary="人才服务"
    )
    theatre = make_park("长江剧院", is_industrial_park=False, is_functional_project=True)
    medical = make_cluster("医疗大数据企业集群", park=cloud)
    wuyi = make_institution(
        "重庆五一技师学院",
        kind="technician",
        ownership="private",
        founded_year=1992,
        aliases="五一技校",
        summary="已入驻重庆高职城，建成国际技能研究院。",
        description="第一段。\n\n第二段。",
        honours=[skills, draft_honour],
    )
    wenyi = make_institution(
        "重庆文化艺术职业学院",
        name_en="Chongqing Vocational College of Culture and Arts",
        kind="higher_vocational",
        ownership="public",
        founded_year=2011,
        honours=[lab],
    )
    banan = make_institution("巴南职教中心", kind="centre", founded_year=1985)
    draft = make_institution("重庆草稿学院", status=Status.DRAFT, kind="technician")
    alibaba = make_enterprise(
        "阿里巴巴", relation="partner", park=cloud, cluster=medical, is_fortune_global_500=True
    )
    zhongdi = make_enterprise("中迪医疗", relation="settled", park=cloud, cluster=medical)
    hidden_company = make_enterprise("隐藏公司", status=Status.DRAFT, park=cloud)
    joint = make_partnership(wuyi, alibaba, "阿里巴巴大数据学院", kind="joint_college")
    order = make_partnership(wuyi, zhongdi, "中迪订单班", kind="order_class")
    city_wide = make_partnership(None, alibaba, "园区学校与阿里巴巴校企合作", kind="cooperation")
    make_partnership(wuyi, hidden_company, "隐藏公司合作班", kind="order_class")
    make_partnership(wenyi, zhongdi, "草稿合作", status=Status.DRAFT)
    headline = make_figure(
        "输送优秀毕业生", value=Decimal("50000"), unit="名", qualifier="plus", is_headline=True
    )
    make_figure("不在首页的数据", value=Decimal("12"), unit="个", qualifier="")
    make_figure(
        "完成投资",
        value=Decimal("30000000000"),
        unit="元",
        qualifier="about",
        scope="institution",
        institution=wuyi,
    )
    make_figure(
        "园区企业", value=Decimal("300"), unit="家", qualifier="plus", scope="park", park=cloud
    )
    make_figure(
        "企业员工",
        value=Decimal("2000"),
        unit="名",
        qualifier="",
        scope="enterprise",
        enterprise=alibaba,
    )
    article = make_article("重庆高职城瞄准大数据智能化前沿", year=2020, subtitle="副标题")
    article.institutions.set([wuyi])
    article.enterprises.set([alibaba])
    article.parks.set([cloud])
    draft_article = make_article("草稿新闻", status=Status.DRAFT)
    draft_article.institutions.set([wuyi])
    NotableAlumnus.objects.create(institution=wuyi, name="张三", description="世赛金牌")
    make_photo(caption="五一技师学院示意图", institution=wuyi, is_placeholder=True, credit="王五")
    make_photo(caption="实训楼", institution=wuyi, credit="摄影：李四", alt_text="实训楼外景")
    return {
        "skills": skills,
        "lab": lab,
        "cloud": cloud,
        "talent": talent,
        "theatre": theatre,
        "medical": medical,
        "wuyi": wuyi,
        "wenyi": wenyi,
        "banan": banan,
        "draft": draft,
        "alibaba": alibaba,
        "zhongdi": zhongdi,
        "hidden_company": hidden_company,
        "joint": joint,
        "order": order,
        "city_wide": city_wide,
        "headline": headline,
        "article": article,
    }


# ---------------------------------------------------------------- every page


class TestEveryPage:
    URLS = ["/", "/institutions/", "/enterprises/", "/parks/", "/partnerships/", "/compare/"]

    @pytest.mark.parametrize("url", URLS)
    def test_head_has_title_description_canonical_and_lang(self, client, city, url):
        html = client.get(url).text
        assert re.search(r"<title>[^<]+</title>", html)
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
        assert f'<link rel="canonical" href="http://testserver{url}">' in html
        assert '<html lang="zh-Hans">' in html
        assert 'hreflang="en" href="http://testserver/en' in html

    @pytest.mark.parametrize("url", URLS)
    def test_english_pages_say_so(self, client, city, url):
        response = client.get("/en" + url)
        assert response.status_code == 200
        assert '<html lang="en">' in response.text

    def test_titles_name_the_page_then_the_site(self, client, city):
        site = "Chongqing Higher Vocational Education City"
        title = re.compile(r"<title>([^<]*)</title>")
        detail = client.get("/en" + city["wenyi"].get_absolute_url()).text
        assert title.search(client.get("/en/institutions/").text)[1] == f"Institutions — {site}"
        wenyi = "Chongqing Vocational College of Culture and Arts"
        assert title.search(detail)[1] == f"{wenyi} — {site}"
        # Home is the site itself: its title does not repeat the name.
        assert title.search(client.get("/en/").text)[1].count(site) == 1

    def test_later_pages_carry_their_number_in_the_title(self, client, city):
        for number in range(25):
            make_enterprise(f"测试企业{number:02d}")
        first = client.get("/en/enterprises/").text
        second = client.get("/en/enterprises/?page=2").text
        assert "<title>Enterprises — " in first
        assert "<title>Enterprises · page 2 — " in second

    def test_alternates_name_the_canonical_page_in_each_language(self, client, city):
        for number in range(25):
            make_enterprise(f"测试企业{number:02d}")
        html = client.get("/enterprises/?relation=settled&q=ceshi").text
        assert '<link rel="canonical" href="http://testserver/enterprises/">' in html
        assert 'hreflang="en" href="http://testserver/en/enterprises/">' in html
        assert 'hreflang="zh-Hans" href="http://testserver/enterprises/">' in html
        english = client.get("/en/enterprises/?page=2&q=ceshi").text
        assert '<link rel="canonical" href="http://testserver/en/enterprises/?page=2">' in english
        assert 'hreflang="zh-Hans" href="http://testserver/enterprises/?page=2">' in english
        assert 'hreflang="x-default" href="http://testserver/enterprises/?page=2">' in english

    def test_landmarks_search_and_language_switch(self, client, city):
        html = client.get("/institutions/?kind=technician").text
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in html
        assert 'role="search"' in html and 'for="site-search-q"' in html
        # The switch keeps the visitor on the same page, filters included.
        assert 'href="/en/institutions/?kind=technician" hreflang="en"' in html
        english = client.get("/en/institutions/?kind=technician").text
        assert 'href="/institutions/?kind=technician" hreflang="zh-Hans"' in english

    def test_no_inline_script_or_style(self, client, city):
        for url in [*self.URLS, city["wuyi"].get_absolute_url()]:
            html = client.get(url).text
            assert "style=" not in html
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
            assert "<style" not in html

    def test_icp_number_only_when_set(self, client, city, settings):
        assert "ICP" not in client.get("/").text
        settings.ICP_NUMBER = "渝ICP备12345678号"
        assert "渝ICP备12345678号" in client.get("/").text


# ---------------------------------------------------------------- home


class TestHome:
    def test_intro_figures_institutions_clusters_news(self, client, city):
        html = client.get("/").text
        assert "5万余名" in text(html) and "输送优秀毕业生" in html
        assert "不在首页的数据" not in html  # only headline figures
        assert "重庆五一技师学院" in html and "巴南职教中心" in html
        assert "重庆草稿学院" not in html
        assert "医疗大数据企业集群" in html and "中迪医疗" in html
        assert "隐藏公司" not in html
        assert "重庆高职城瞄准大数据智能化前沿" in html and "2020年" in html
        assert "草稿新闻" not in html

    def test_home_sections_stay_bounded_as_the_directory_grows(self, client, city):
        from directory.views.home import HOME_CLUSTERS, HOME_PARKS

        for i in range(HOME_PARKS + 2):
            make_park(f"新建园区{i}")
        for i in range(HOME_CLUSTERS + 2):
            make_cluster(f"新建集群{i}")
        response = client.get("/")
        assert len(response.context["parks"]) == HOME_PARKS
        assert len(response.context["clusters"]) == HOME_CLUSTERS
        html = response.text
        assert html.count("card--park") == HOME_PARKS
        assert 'href="/parks/"' in html and 'href="/enterprises/"' in html

    def test_english_home_uses_english_names_and_numbers(self, client, city):
        html = client.get("/en/").text
        assert "Chongqing Vocational College of Culture and Arts" in html
        assert "more than 50,000" in text(html)
        assert "2020年" not in html and "2020" in html


# ---------------------------------------------------------------- institutions list


class TestInstitutionList:
    def test_lists_published_with_count(self, client, city):
        html = client.get("/institutions/").text
        assert result_cards(html) == ["巴南职教中心", "重庆文化艺术职业学院", "重庆五一技师学院"]
        assert "3 results" in html or "3 条结果" in html
        assert "重庆草稿学院" not in html

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("kind=technician", ["重庆五一技师学院"]),
            ("ownership=public", ["重庆文化艺术职业学院"]),
            ("ownership=unstated", ["巴南职教中心"]),
            ("honour=shisaizhongguojixunjidi", ["重庆五一技师学院"]),
            ("has_partnerships=true", ["重庆五一技师学院"]),
            ("has_partnerships=false", ["巴南职教中心", "重庆文化艺术职业学院"]),
            ("q=五一", ["重庆五一技师学院"]),
            ("q=wuyi", ["重庆五一技师学院"]),
            ("q=CQWYJSXY", ["重庆五一技师学院"]),
            ("q=五一技校", ["重庆五一技师学院"]),
            ("initial=B", ["巴南职教中心"]),
            ("initial=b", ["巴南职教中心"]),
            ("initial=C&kind=higher_vocational", ["重庆文化艺术职业学院"]),
        ],
    )
    def test_filters(self, client, city, query, expected):
        html = client.get(f"/institutions/?{query}").text
        assert result_cards(html) == expected
        assert 'class="clear-filters" href="/institutions/"' in html

    def test_draft_honour_is_no_choice(self, client, city):
        html = client.get("/institutions/").text
        assert "世赛中国集训基地" in html and "草稿荣誉" not in html
        response = client.get("/institutions/?honour=caogaorongyu")
        assert "form-errors" in response.text

    @pytest.mark.parametrize(
        "ordering, expected",
        [
            ("pinyin", ["巴南职教中心", "重庆文化艺术职业学院", "重庆五一技师学院"]),
            ("founded", ["巴南职教中心", "重庆五一技师学院", "重庆文化艺术职业学院"]),
            ("-founded", ["重庆文化艺术职业学院", "重庆五一技师学院", "巴南职教中心"]),
            ("-partnerships", ["重庆五一技师学院", "巴南职教中心", "重庆文化艺术职业学院"]),
        ],
    )
    def test_ordering(self, client, city, ordering, expected):
        html = client.get(f"/institutions/?ordering={ordering}").text
        assert result_cards(html) == expected

    def test_partnership_count_counts_only_visible(self, client, city):
        # 五一 has 2 visible partnerships (a third is with a draft company).
        html = client.get("/institutions/?kind=technician").text
        assert re.search(r">\s*2 partnerships\s*<", html) or "2 项合作" in html

    def test_a_count_of_none_on_record_is_left_out(self, client, city):
        html = client.get("/institutions/").text
        banan = html[html.index("巴南职教中心") :]
        banan = banan[: banan.index("</article>")]
        assert "合作" not in banan  # no "0 项合作": none on record is not none
        wuyi = html[html.index("重庆五一技师学院") :]
        assert "2 项合作" in wuyi[: wuyi.index("</article>")]

    def test_az_bar_marks_letters_with_entries(self, client, city):
        html = client.get("/institutions/?initial=C&kind=technician").text
        assert 'href="?initial=B&amp;kind=technician"' in html
        assert '<span class="az-bar__empty" title="No entries">Q</span>' in html or (
            "az-bar__empty" in html and 'href="?initial=Q' not in html
        )
        assert re.search(r'href="\?initial=C&amp;kind=technician" aria-current="true">C<', html)

    @pytest.mark.parametrize(
        "query",
        [
            "kind=xyz",
            "initial=11",
            "ordering=evil",
            "has_partnerships=maybe",
            "honour=nope",
            "initial=" + "C" * 500,
            "q=" + "长" * 500,
        ],
    )
    def test_bad_values_show_the_error_never_500(self, client, city, query):
        response = client.get(f"/institutions/?{query}")
        assert response.status_code == 200
        assert 'class="form-errors"' in response.text
        # Not strict: the invalid value is ignored, the list is shown unfiltered.
        assert len(result_cards(response.text)) == 3

    def test_bad_value_beside_a_good_one_still_filters(self, client, city):
        html = client.get("/institutions/?kind=xyz&ownership=public").text
        assert result_cards(html) == ["重庆文化艺术职业学院"]
        assert 'class="form-errors"' in html

    def test_pagination_keeps_filters(self, client, city, monkeypatch):
        monkeypatch.setattr(InstitutionListView, "paginate_by", 2)
        for i in range(3):
            make_institution(f"重庆技工学校{i}", kind="technician")
        html = client.get("/institutions/?kind=technician&ordering=pinyin").text
        assert len(result_cards(html)) == 2
        assert 'href="?kind=technician&amp;ordering=pinyin&amp;page=2"' in html
        page2 = client.get("/institutions/?kind=technician&ordering=pinyin&page=2").text
        assert len(result_cards(page2)) == 2
        assert set(result_cards(html)).isdisjoint(result_cards(page2))
        assert 'href="?kind=technician&amp;ordering=pinyin&amp;page=1"' in page2
        assert '<link rel="canonical" href="http://testserver/institutions/?page=2">' in page2

    @pytest.mark.parametrize(
        "page, expected_first",
        [
            ("999", "重庆五一技师学院"),
            ("abc", "巴南职教中心"),
            ("-1", "重庆五一技师学院"),
            ("0", "重庆五一技师学院"),
        ],
    )
    def test_page_out_of_range_or_not_a_number(
        self, client, city, monkeypatch, page, expected_first
    ):
        monkeypatch.setattr(InstitutionListView, "paginate_by", 2)
        response = client.get(f"/institutions/?page={page}")
        assert response.status_code == 200
        assert result_cards(response.text)[0] == expected_first

    def test_compare_form_without_js(self, client, city):
        html = client.get("/institutions/").text
        assert re.search(r'<form action="/compare/" method="get"', html)
        assert f'name="items" value="{city["wuyi"].slug}"' in html
        assert "Compare selected" in html or "比较所选" in html

    def test_filtered_cards_carry_the_way_back(self, client, city):
        html = client.get("/institutions/?kind=technician").text
        assert f'href="/institutions/{city["wuyi"].slug}/?back=kind%3Dtechnician"' in html
        plain = client.get("/institutions/").text
        assert f'href="/institutions/{city["wuyi"].slug}/"' in plain

    def test_english_index_says_it_follows_pinyin(self, client, city):
        note = "Letters and the A–Z order follow the pinyin of the Chinese name."
        assert note in client.get("/en/institutions/").text
        assert note in client.get("/en/enterprises/").text
        assert "az-bar__note" not in client.get("/institutions/").text

    def test_english_list(self, client, city):
        html = client.get("/en/institutions/").text
        assert '<html lang="en">' in html
        assert "Chongqing Vocational College of Culture and Arts" in html
        assert "Technician college" in html


# ---------------------------------------------------------------- institution detail


class TestInstitutionDetail:
    def test_everything_it_holds(self, client, city):
        wuyi = city["wuyi"]
        html = client.get(wuyi.get_absolute_url()).text
        assert "<h1>重庆五一技师学院</h1>" in html
        assert "Technician college" in html or "技师学院" in html
        assert "已入驻重庆高职城" in html and "<p>第一段。</p>" in html
        assert "世赛中国集训基地" in html and "草稿荣誉" not in html
        assert "张三" in html and "世赛金牌" in html
        assert "约300亿元" in text(html)
        # Partnerships link both sides; drafts and draft companies stay hidden.
        assert "阿里巴巴大数据学院" in html and 'href="/enterprises/alibaba/"' in html
        assert "中迪订单班" in html
        assert "隐藏公司" not in html
        assert "草稿合作" not in html
        assert "重庆高职城瞄准大数据智能化前沿" in html and "草稿新闻" not in html
        assert "1992年" in html

    def test_alumni_described_alike_share_one_line(self, client, city):
        for name in ("李一", "王二"):
            NotableAlumnus.objects.create(
                institution=city["wenyi"], name=name, description="知名艺术家和影视明星之一"
            )
        html = client.get(city["wenyi"].get_absolute_url()).text
        assert html.count("知名艺术家和影视明星之一") == 1
        assert "<strong>李一</strong>、<strong>王二</strong> — 知名艺术家和影视明星之一" in html

    def test_photos_placeholder_and_real(self, client, city):
        html = client.get(city["wuyi"].get_absolute_url()).text
        assert "photo--placeholder" in html and "五一技师学院示意图" in html
        assert "Placeholder" in html or "示意图" in html
        # A rendition, never the uploaded original.
        assert re.search(
            r'<img class="photo__img" src="/media/renditions/photos/[^"]+_q85[^"]*"'
            r'[^>]* alt="实训楼外景"',
            html,
        )
        assert re.search(r'width="\d+" height="\d+"', html)
        assert "摄影：李四" in html
        # A placeholder does not pass for the photographer's work.
        assert "原照片摄影：王五" in html and "图片：王五" not in html

    def test_open_graph(self, client, city):
        html = client.get(city["wuyi"].get_absolute_url()).text
        assert '<meta property="og:title" content="重庆五一技师学院">' in html
        assert '<meta property="og:type" content="article">' in html
        assert (
            f'<meta property="og:url" content="http://testserver{city["wuyi"].get_absolute_url()}">'
            in html
        )
        # The first real photo, not the placeholder.
        assert re.search(
            r'<meta property="og:image" content="http://testserver/media/renditions/photos/'
            r'[^"]+1200x630[^"]*">',
            html,
        )
        banan = client.get(city["banan"].get_absolute_url()).text
        assert 'og:image" content="http://testserver/static/img/og-default.png"' in banan
        assert '<meta property="og:description"' in banan

    def test_city_wide_partnership_label(self, client, city):
        html = client.get(city["alibaba"].get_absolute_url()).text
        assert "园区学校与阿里巴巴校企合作" in html
        assert "The city's schools together" in html or "园区学校共同" in html

    @pytest.mark.parametrize(
        "back, expected",
        [
            ("kind%3Dtechnician%26page%3D2", "/institutions/?kind=technician&amp;page=2"),
            ("%2F%2Fevil.example%2F", "/institutions/?%2F%2Fevil.example%2F="),
            ("", "/institutions/"),
        ],
    )
    def test_back_parameter_stays_on_the_list(self, client, city, back, expected):
        html = client.get(f"{city['wuyi'].get_absolute_url()}?back={back}").text
        link = re.search(r'class="back-link" href="([^"]*)"', html).group(1)
        assert link.startswith("/institutions/")
        if back != "%2F%2Fevil.example%2F":
            assert link == expected

    def test_cached_page_never_carries_another_visitors_referer(self, client, city):
        url = city["wuyi"].get_absolute_url()
        client.get(url, headers={"referer": "http://testserver/institutions/?kind=technician"})
        html = client.get(url).text
        assert 'class="back-link" href="/institutions/"' in html

    def test_unknown_draft_and_scheduled_are_404(self, client, city):
        assert client.get("/institutions/no-such-school/").status_code == 404
        assert client.get(city["draft"].get_absolute_url()).status_code == 404
        later = make_institution("重庆未来学院", publish_at=timezone.now() + timedelta(days=1))
        assert client.get(later.get_absolute_url()).status_code == 404
        assert "重庆未来学院" not in client.get("/institutions/").text

    def test_english_detail(self, client, city):
        html = client.get("/en" + city["wenyi"].get_absolute_url()).text
        assert '<html lang="en">' in html
        assert "<h1>Chongqing Vocational College of Culture and Arts</h1>" in html
        assert "Public" in html

    def test_key_figures_name_their_shared_source_and_its_date(self, client, city):
        wuyi = make_institution("重庆数据学院")
        source = make_article("职教城专版", year=2020)
        make_figure("在校学生", scope="institution", institution=wuyi, article=source)
        make_figure("专业数", scope="institution", institution=wuyi, article=source)
        html = client.get(wuyi.get_absolute_url()).text
        assert f'<a href="{source.get_absolute_url()}">职教城专版</a> · 2020年' in html
        # A second source: no single line can say where they come from.
        make_figure("教师数", scope="institution", institution=wuyi, article=make_article())
        assert "职教城专版</a>" not in client.get(wuyi.get_absolute_url()).text

    def test_a_draft_source_is_not_named(self, client, city):
        wuyi = city["wuyi"]
        source = make_article("草稿来源", status=Status.DRAFT)
        make_figure("在校学生", scope="institution", institution=wuyi, article=source)
        html = client.get(wuyi.get_absolute_url()).text
        assert "在校学生" in html and "草稿来源" not in html

    def test_english_detail_says_the_descriptions_are_chinese(self, client, city):
        note = "The descriptions on this page are in Chinese."
        wuyi, wenyi = city["wuyi"].get_absolute_url(), city["wenyi"].get_absolute_url()
        # 五一 has a Chinese summary and description; 文艺 has neither.
        assert note in client.get("/en" + wuyi).text
        assert note not in client.get("/en" + wenyi).text
        chinese = client.get(wuyi).text
        assert note not in chinese and "detail-head__note" not in chinese


# ---------------------------------------------------------------- enterprises


class TestEnterprises:
    @pytest.mark.parametrize(
        "query, expected",
        [
            ("", ["阿里巴巴", "中迪医疗"]),
            ("cluster=yiliaodashujuqiyejiqun", ["阿里巴巴", "中迪医疗"]),
            ("park=yunjisuanchanyeyuan", ["阿里巴巴", "中迪医疗"]),
            ("park=xiburencaichanyeyuan", []),
            ("relation=partner", ["阿里巴巴"]),
            ("fortune500=true", ["阿里巴巴"]),
            ("fortune500=false", ["中迪医疗"]),
            ("q=alibaba", ["阿里巴巴"]),
            ("q=ZDYL", ["中迪医疗"]),
            ("initial=Z", ["中迪医疗"]),
            ("ordering=-partnerships", ["阿里巴巴", "中迪医疗"]),
        ],
    )
    def test_list_filters(self, client, city, query, expected):
        html = client.get(f"/enterprises/?{query}").text
        assert result_cards(html) == expected
        assert "隐藏公司" not in html

    def test_ordering_by_partnerships(self, client, city):
        for i in range(3):
            make_partnership(city["banan"], city["zhongdi"], f"中迪合作{i}")
        html = client.get("/enterprises/?ordering=-partnerships").text
        assert result_cards(html) == ["中迪医疗", "阿里巴巴"]

    @pytest.mark.parametrize(
        "query", ["relation=boss", "fortune500=maybe", "cluster=none", "initial=ab", "ordering=x"]
    )
    def test_bad_values(self, client, city, query):
        response = client.get(f"/enterprises/?{query}")
        assert response.status_code == 200
        assert 'class="form-errors"' in response.text
        assert result_cards(response.text) == ["阿里巴巴", "中迪医疗"]

    def test_pagination_keeps_filters(self, client, city, monkeypatch):
        monkeypatch.setattr(EnterpriseListView, "paginate_by", 1)
        html = client.get("/enterprises/?park=yunjisuanchanyeyuan&page=2").text
        assert result_cards(html) == ["中迪医疗"]
        assert 'href="?park=yunjisuanchanyeyuan&amp;page=1"' in html
        assert client.get("/enterprises/?park=yunjisuanchanyeyuan&page=77").status_code == 200

    def test_detail(self, client, city):
        html = client.get(city["alibaba"].get_absolute_url()).text
        assert "<h1>阿里巴巴</h1>" in html
        assert 'href="/parks/yunjisuanchanyeyuan/"' in html
        assert 'href="/enterprises/?cluster=yiliaodashujuqiyejiqun"' in html
        assert "2000名" in text(html)
        assert (
            "阿里巴巴大数据学院" in html
            and 'href="/institutions/chongqingwuyijishixueyuan/"' in html
        )
        assert "重庆高职城瞄准大数据智能化前沿" in html
        assert "Fortune Global 500" in html or "世界500强" in html
        assert 'property="og:title" content="阿里巴巴"' in html

    def test_detail_hides_draft_park(self, client, city):
        secret = as_draft(make_park("秘密园区"))
        company = make_enterprise("秘密公司", park=secret)
        html = client.get(company.get_absolute_url()).text
        assert "秘密园区" not in html

    def test_detail_404s(self, client, city):
        assert client.get(city["hidden_company"].get_absolute_url()).status_code == 404
        assert client.get("/enterprises/nobody/").status_code == 404


# ---------------------------------------------------------------- parks


class TestParks:
    def test_list_groups_and_both(self, client, city):
        html = client.get("/parks/").text
        industrial, functional = html.split('id="projects-title"')
        assert "云计算产业园" in industrial and "西部人才产业园" in industrial
        assert "长江剧院" not in industrial
        assert "长江剧院" in functional and "西部人才产业园" in functional
        assert "云计算产业园" not in functional
        # 2 published enterprises in the cloud park; the draft one is not counted.
        assert re.search(r">\s*2 enterprises\s*<", html) or "2 家企业" in html

    def test_draft_park_hidden(self, client, city):
        draft = as_draft(make_park("草稿园区"))
        assert "草稿园区" not in client.get("/parks/").text
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get("/parks/nowhere/").status_code == 404

    def test_detail(self, client, city):
        html = client.get(city["cloud"].get_absolute_url()).text
        assert "<h1>云计算产业园</h1>" in html
        assert "巴南区高职城" in html and "大数据、云计算" in html
        assert "300余家" in text(html)
        assert "阿里巴巴" in html and "中迪医疗" in html and "隐藏公司" not in html
        assert "医疗大数据企业集群" in html
        assert 'href="/enterprises/?park=yunjisuanchanyeyuan"' in html
        assert "重庆高职城瞄准大数据智能化前沿" in html


# ---------------------------------------------------------------- partnerships


class TestPartnerships:
    def test_list_links_both_sides_with_anchors(self, client, city):
        html = client.get("/partnerships/").text
        assert f'id="{city["joint"].slug}"' in html
        assert 'href="/institutions/chongqingwuyijishixueyuan/"' in html
        assert 'href="/enterprises/alibaba/"' in html
        assert "The city's schools together" in html or "园区学校共同" in html
        assert "隐藏公司合作班" not in html and "草稿合作" not in html
        assert city["joint"].get_absolute_url() == f"/partnerships/#{city['joint'].slug}"

    @pytest.mark.parametrize(
        "query, present, absent",
        [
            ("kind=order_class", "中迪订单班", "阿里巴巴大数据学院"),
            ("institution=chongqingwuyijishixueyuan", "中迪订单班", "园区学校与阿里巴巴校企合作"),
            ("enterprise=alibaba", "园区学校与阿里巴巴校企合作", "中迪订单班"),
            ("q=zhongdi", "中迪订单班", "阿里巴巴大数据学院"),
        ],
    )
    def test_filters(self, client, city, query, present, absent):
        html = client.get(f"/partnerships/?{query}").text
        assert present in html and absent not in html

    @pytest.mark.parametrize("query", ["enterprise=alibaba", "enterprise=阿里", "enterprise=ALBB"])
    def test_enterprise_by_slug_name_or_initials(self, client, city, query):
        html = client.get(f"/partnerships/?{query}").text
        assert "园区学校与阿里巴巴校企合作" in html and "中迪订单班" not in html

    def test_enterprise_matching_nothing_is_an_empty_result(self, client, city):
        response = client.get("/partnerships/?enterprise=%27%3Cscript%3E")
        assert response.status_code == 200
        assert "中迪订单班" not in response.text and "<script>" not in response.text
        english = client.get("/en/partnerships/?enterprise=nobody").text
        assert "No partnership matches these filters." in english
        assert '<a href="/en/partnerships/">Show all partnerships</a>' in english

    @pytest.mark.parametrize("query", ["kind=evil", "institution=nobody"])
    def test_bad_values(self, client, city, query):
        response = client.get(f"/partnerships/?{query}")
        assert response.status_code == 200
        assert 'class="form-errors"' in response.text
        assert "中迪订单班" in response.text

    def test_pagination_keeps_filters_and_show_finds_the_page(self, client, city, monkeypatch):
        monkeypatch.setattr(PartnershipListView, "paginate_by", 1)
        html = client.get("/partnerships/?enterprise=alibaba").text
        assert 'href="?enterprise=alibaba&amp;page=2"' in html
        last = sorted([city["joint"], city["order"], city["city_wide"]], key=lambda p: p.pinyin)[-1]
        response = client.get(f"/partnerships/?show={last.slug}")
        assert response.status_code == 302
        assert response["Location"] == f"/partnerships/?page=3#{last.slug}"
        assert client.get("/partnerships/?show=nothing")["Location"] == "/partnerships/"


# ---------------------------------------------------------------- compare


class TestCompare:
    def test_side_by_side(self, client, city):
        wuyi, wenyi = city["wuyi"], city["wenyi"]
        html = client.get(f"/compare/?items={wuyi.slug},{wenyi.slug}").text
        assert "重庆五一技师学院" in html and "Chongqing Vocational College" not in html
        assert "重庆文化艺术职业学院" in html
        assert "世赛中国集训基地" in html and "市级重点实验室" in html
        assert "张三" in html and "约300亿元" in text(html)
        assert html.index("重庆五一技师学院") < html.index("重庆文化艺术职业学院")

    def test_repeated_items_like_the_list_form_sends(self, client, city):
        response = client.get("/compare/", {"items": [city["banan"].slug, city["wuyi"].slug]})
        assert "巴南职教中心" in response.text and "重庆五一技师学院" in response.text
        assert "compare-table" in response.text

    def test_more_than_four(self, client, city):
        extra = [make_institution(f"重庆比较学院{i}") for i in range(3)]
        slugs = [city["wuyi"].slug, city["wenyi"].slug, city["banan"].slug] + [
            e.slug for e in extra
        ]
        response = client.get("/compare/?items=" + ",".join(slugs))
        assert response.status_code == 200
        assert "at most 4" in response.text or "最多" in response.text
        assert "重庆比较学院0" in response.text and "重庆比较学院1" not in response.text

    def test_unknown_and_draft_slugs(self, client, city):
        response = client.get(f"/compare/?items=nobody,{city['draft'].slug},{city['wuyi'].slug}")
        assert response.status_code == 200
        assert "nobody" in response.text and "未找到" in response.text
        assert "重庆草稿学院" not in response.text
        assert "重庆五一技师学院" in response.text

    @pytest.mark.parametrize("query", ["", "?items=", "?items=,,,", "?items=" + "a," * 500])
    def test_nothing_to_compare(self, client, city, query):
        response = client.get(f"/compare/{query}")
        assert response.status_code == 200
        assert "compare-table" not in response.text or "were not found" in response.text


# ---------------------------------------------------------------- query counts


def populate(n, start=0):
    """n of everything, all tied to one institution, enterprise and park (the 'focus')."""
    focus_inst = make_institution("重庆焦点学院", slug="focus-inst") if start == 0 else None
    from directory.models import Enterprise, Institution, Park

    focus_inst = focus_inst or Institution.objects.get(slug="focus-inst")
    focus_park = (
        make_park("焦点产业园", slug="focus-park", is_functional_project=True)
        if start == 0
        else Park.objects.get(slug="focus-park")
    )
    focus_ent = (
        make_enterprise("焦点公司", slug="focus-ent", park=focus_park)
        if start == 0
        else Enterprise.objects.get(slug="focus-ent")
    )
    for i in range(start, start + n):
        honour = make_honour(f"荣誉{i}号")
        cluster = make_cluster(f"集群{i}号", park=focus_park)
        park = make_park(f"产业园{i}号", is_functional_project=bool(i % 2))
        inst = make_institution(f"重庆学院{i}号", honours=[honour], founded_year=1990 + i)
        ent = make_enterprise(f"公司{i}号", park=focus_park, cluster=cluster)
        make_enterprise(f"园区公司{i}号", park=park, cluster=cluster)
        make_partnership(inst, ent, f"合作{i}号")
        make_partnership(focus_inst, focus_ent, f"焦点合作{i}号")
        focus_inst.honours.add(honour)
        focus_ent.honours.add(honour)
        NotableAlumnus.objects.create(institution=focus_inst, name=f"校友{i}")
        make_figure(f"数据{i}号", is_headline=True)
        make_figure(f"学院数据{i}号", scope="institution", institution=focus_inst)
        make_figure(f"园区数据{i}号", scope="park", park=focus_park)
        make_figure(f"企业数据{i}号", scope="enterprise", enterprise=focus_ent)
        article = make_article(f"新闻{i}号", year=2015 + i % 10)
        article.institutions.add(focus_inst, inst)
        article.enterprises.add(focus_ent)
        article.parks.add(focus_park)
        make_photo(article=article, institution=focus_inst, is_placeholder=bool(i % 2))
        make_photo(enterprise=focus_ent)
        make_photo(park=focus_park)


QUERY_COUNT_URLS = [
    "/",
    "/en/",
    "/institutions/",
    "/institutions/?kind=higher_vocational&has_partnerships=true&ordering=-partnerships&q=xue",
    "/institutions/?honour=rongyu1hao&initial=C&ordering=-founded&page=2",
    "/institutions/focus-inst/",
    "/en/institutions/focus-inst/",
    "/enterprises/",
    "/enterprises/?park=focus-park&ordering=-partnerships&fortune500=false",
    "/enterprises/focus-ent/",
    "/parks/",
    "/parks/focus-park/",
    "/partnerships/",
    "/partnerships/?institution=focus-inst&kind=joint_college",
    "/compare/?items=focus-inst,chongqingxueyuan0hao,chongqingxueyuan1hao,chongqingxueyuan2hao",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_are_flat_and_small(client):
    populate(3)
    small = {url: count_queries(client, url) for url in QUERY_COUNT_URLS}
    populate(27, start=3)
    large = {url: count_queries(client, url) for url in QUERY_COUNT_URLS}
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


@pytest.mark.parametrize("url", ["/institutions/", "/institutions/focus-inst/", "/"])
def test_query_count_bound(client, django_assert_max_num_queries, url):
    populate(30)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


rf = RequestFactory()


class TestBackToList:
    def back(self, **params):
        return back_to_list(rf.get("/institutions/x/", params), "directory:institution_list")

    def test_back_parameter_becomes_a_query_on_the_list(self):
        assert self.back(back="kind=technician&page=2") == "/institutions/?kind=technician&page=2"

    @pytest.mark.parametrize(
        "value", ["//evil.example/", "https://evil.example/?a=1", "javascript:alert(1)", "\\\\evil"]
    )
    def test_never_leaves_the_list(self, value):
        assert self.back(back=value).startswith("/institutions/")

    def test_referer_is_ignored(self):
        # Pages are cached by URL: a Referer must never shape the page.
        request = rf.get("/institutions/x/", HTTP_REFERER="http://testserver/institutions/?kind=a")
        assert back_to_list(request, "directory:institution_list") == "/institutions/"
