"""The template helpers of directory_tags: figures, years, URLs, pagination, breadcrumbs."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from directory.models import Status
from directory.templatetags import directory_tags as tags

rf = RequestFactory()


@pytest.fixture(autouse=True)
def _no_language_left_active():
    yield
    translation.deactivate()


def figure(value, unit="名", qualifier="", **kw):
    kw.setdefault("unit_en", "")
    kw.setdefault("value_max", None)
    kw.setdefault("group_digits", True)
    return SimpleNamespace(value=Decimal(value), unit=unit, qualifier=qualifier, **kw)


def render(source, **context):
    return Template("{% load directory_tags %}" + source).render(Context(context))


class TestFigure:
    def test_chinese_as_the_article_writes(self):
        with translation.override("zh-hans"):
            assert tags.figure(figure("50000", "名", "plus")) == "5万余名"
            assert tags.figure(figure("30000000000", "元", "about")) == "约300亿元"
            assert tags.figure(figure("97", "%", "and_above")) == "97%以上"

    def test_english(self):
        with translation.override("en"):
            out = tags.figure(figure("50000", "名", "plus", unit_en="graduates"))
        assert out == "more than 50,000 graduates"

    def test_empty(self):
        assert tags.figure(None) == ""

    def test_html_sets_numbers_apart_and_escapes(self):
        with translation.override("zh-hans"):
            out = tags.figure_html(figure("6.8", "<亿元>", "about"))
        assert out == '约<span class="num">6.8</span>&lt;亿元&gt;'
        with translation.override("zh-hans"):
            out = tags.figure_html(figure("30000000000", "元", "about"))
        assert out == '约<span class="num">300亿</span>元'

    def test_html_leaves_the_digits_of_escaped_characters_alone(self):
        with translation.override("en"):
            out = tags.figure_html(figure("6", "'", "", unit_en="o'clock"))
        assert out == '<span class="num">6</span> o&#x27;clock'

    def test_filter_in_a_template(self):
        with translation.override("zh-hans"):
            out = render("{{ f|figure }}", f=figure("50000", "名", "plus"))
        assert out == "5万余名"


class TestYearAndLanguage:
    def test_year_label(self):
        with translation.override("zh-hans"):
            assert tags.year_label(2020) == "2020年"
        with translation.override("en"):
            assert tags.year_label(2020) == "2020"
        assert tags.year_label(None) == ""

    def test_lang_attr_only_for_chinese_only_names_on_english_pages(self):
        chinese_only = SimpleNamespace(name_en="")
        translated = SimpleNamespace(name_en="Culture and Arts")
        with translation.override("en"):
            assert tags.lang_attr(chinese_only) == ' lang="zh-Hans"'
            assert tags.lang_attr(translated) == ""
        with translation.override("zh-hans"):
            assert tags.lang_attr(chinese_only) == ""


@pytest.mark.django_db
def test_public_hides_drafts_and_scheduled():
    from tests.factories import make_institution

    published = make_institution("重庆公开学院")
    draft = make_institution("重庆草稿学院", status=Status.DRAFT)
    later = make_institution("重庆未来学院", publish_at=timezone.now() + timedelta(hours=1))
    assert tags.public(published) is published
    assert tags.public(draft) is None
    assert tags.public(later) is None
    assert tags.public(None) is None


class TestUrls:
    def test_canonical_adds_page_past_the_first(self, settings):
        settings.SITE_URL = ""
        request = rf.get("/institutions/?kind=technician&page=2")
        page = Paginator(range(50), 10).page(2)
        assert tags.canonical_url(Context({"request": request, "page_obj": page})) == (
            "http://testserver/institutions/?page=2"
        )
        first = Paginator(range(50), 10).page(1)
        assert tags.canonical_url(Context({"request": request, "page_obj": first})) == (
            "http://testserver/institutions/"
        )

    def test_site_url_wins(self, settings):
        settings.SITE_URL = "https://gzc.example.cn"
        request = rf.get("/parks/")
        assert tags.canonical_url(Context({"request": request})) == "https://gzc.example.cn/parks/"
        assert tags.absolute_url(Context({"request": request}), "/static/x.png") == (
            "https://gzc.example.cn/static/x.png"
        )

    def test_translated_url_keeps_the_query(self):
        request = rf.get("/institutions/?kind=technician")
        with translation.override("zh-hans"):
            assert tags.translated_url(Context({"request": request}), "en") == (
                "/en/institutions/?kind=technician"
            )
        request = rf.get("/en/parks/")
        with translation.override("en"):
            assert tags.translated_url(Context({"request": request}), "zh-hans") == "/parks/"

    def test_elided_pages(self):
        page = Paginator(range(200), 10).page(10)
        numbers = tags.elided_pages(page)
        assert numbers[0] == 1 and numbers[-1] == 20
        assert Paginator.ELLIPSIS in numbers and 10 in numbers
        assert tags.elided_pages(None) == []

    @pytest.mark.django_db
    def test_active_filter_count_counts_only_filters_in_effect(self):
        from directory.filters import InstitutionFilterSet

        query = "kind=technician&q=&page=3&back=x&honour=a&ordering=pinyin&from=singlemessage"
        # kind counts; the unknown honour, blanks, page, back, sort and junk do not.
        assert tags.active_filter_count(InstitutionFilterSet(rf.get(f"/?{query}").GET)) == 1
        assert tags.active_filter_count(InstitutionFilterSet()) == 0
        assert tags.active_filter_count(None) == 0
