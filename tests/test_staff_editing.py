"""Editing rules: slugs, sanitized rich text, scheduled publishing, preview, protected deletes."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from directory.models import (
    Article,
    ArticleSection,
    Figure,
    Institution,
    Park,
    Partnership,
    Status,
)
from directory.sanitize import sanitize_html
from tests.factories import (
    make_article,
    make_cluster,
    make_enterprise,
    make_figure,
    make_institution,
    make_park,
    make_partnership,
)
from tests.staff_factories import (  # noqa: F401  (fixtures)
    add_inline_form,
    admin_form_data,
    client_for,
    editor,
    editor_client,
    fast_hashing,
    form_errors,
    make_staff,
    reviewer,
    reviewer_client,
    second_editor,
)

pytestmark = pytest.mark.django_db


def institution_data(**overrides):
    data = {
        "name": "重庆测试职业学院",
        "name_en": "",
        "aliases": "",
        "kind": "higher_vocational",
        "ownership": "unstated",
        "founded_year": "",
        "summary": "",
        "description": "",
        "address": "",
        "website": "",
        "order": 0,
        "status": "draft",
        "slug": "",
        "publish_at_0": "",
        "publish_at_1": "",
        "alumni-TOTAL_FORMS": 0,
        "alumni-INITIAL_FORMS": 0,
        "partnerships-TOTAL_FORMS": 0,
        "partnerships-INITIAL_FORMS": 0,
        "figures-TOTAL_FORMS": 0,
        "figures-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


# --- Slugs --------------------------------------------------------------------------------


def test_slug_is_made_from_the_pinyin_of_the_name(editor_client):
    response = editor_client.post(
        reverse("admin:directory_institution_add"), institution_data(name="重庆五一技师学院")
    )
    assert response.status_code == 302
    assert Institution.objects.get().slug == "chongqingwuyijishixueyuan"


def test_same_name_gets_a_numbered_slug(editor_client):
    make_institution("重庆五一技师学院")
    editor_client.post(
        reverse("admin:directory_institution_add"), institution_data(name="重庆五一技师学院")
    )
    assert sorted(Institution.objects.values_list("slug", flat=True)) == [
        "chongqingwuyijishixueyuan",
        "chongqingwuyijishixueyuan-2",
    ]


def test_slug_can_be_overridden(editor_client):
    editor_client.post(
        reverse("admin:directory_institution_add"),
        institution_data(name="重庆五一技师学院", slug="wuyi"),
    )
    assert Institution.objects.get().slug == "wuyi"


def test_slug_clash_is_a_clear_form_error(editor_client):
    make_institution("重庆五一技师学院", slug="wuyi")
    response = editor_client.post(
        reverse("admin:directory_institution_add"),
        institution_data(name="重庆五一高级技工学校", slug="wuyi"),
    )
    assert response.status_code == 200
    assert form_errors(response) == {"slug": ["slug_clash"]}
    message = response.context["adminform"].form.errors["slug"][0]
    assert "wuyi" in message and "重庆五一技师学院" in message
    assert Institution.objects.count() == 1


def test_slug_that_is_not_a_slug_is_refused(editor_client):
    response = editor_client.post(
        reverse("admin:directory_institution_add"), institution_data(slug="五一 学院")
    )
    assert response.status_code == 200
    assert "slug" in form_errors(response)
    assert Institution.objects.count() == 0


# --- Sanitizing ---------------------------------------------------------------------------

HOSTILE = [
    ('<p>正文<script>alert("x")</script></p>', "<p>正文</p>"),
    ('<p onclick="steal()" onmouseover="x()">点我</p>', "<p>点我</p>"),
    ('<a href="javascript:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
    ('<a href="JaVaScRiPt:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
    ('<a href="jav&#x09;ascript:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
    (
        '<a href="data:text/html,<script>alert(1)</script>">链接</a>',
        '<a rel="noopener noreferrer">链接</a>',
    ),
    ('<iframe src="https://evil.example/"></iframe><p>后文</p>', "<p>后文</p>"),
    ('<p>文<img src="x" onerror="alert(1)">字</p>', "<p>文字</p>"),
    ('<svg onload="alert(1)"><circle /></svg><p>后文</p>', "<p>后文</p>"),
    ('<p style="background:url(javascript:alert(1))" class="x">样式</p>', "<p>样式</p>"),
    ("<style>body{display:none}</style><p>后文</p>", "<p>后文</p>"),
    ('<form action="https://evil.example"><input name="p"></form><p>后文</p>', "<p>后文</p>"),
    ("<!-- <script>alert(1)</script> --><p>后文</p>", "<p>后文</p>"),
    (
        '<a href="https://www.cq.gov.cn/" target="_blank">重庆市政府</a>',
        '<a href="https://www.cq.gov.cn/" rel="noopener noreferrer">重庆市政府</a>',
    ),
]


@pytest.mark.parametrize("dirty, clean", HOSTILE)
def test_sanitizer_removes_hostile_html(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_sanitizer_keeps_what_the_editor_makes():
    html = (
        "<h2>小标题</h2><p><strong>粗</strong><em>斜</em><u>下</u><s>删</s>"
        'H<sub>2</sub>O x<sup>2</sup></p><ul><li>一</li></ul><ol start="3"><li>三</li>'
        "</ol><blockquote><p>引</p></blockquote><hr>"
    )
    assert sanitize_html(html) == html


def test_section_body_is_sanitized_when_an_editor_saves(editor_client):
    article = make_article("新闻", body="<p>原文</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data["sections-0-body"] = (
        '<p onclick="steal()">新正文<script>alert(1)</script></p>'
        '<iframe src="https://evil.example/"></iframe><a href="javascript:alert(1)">链接</a>'
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    body = ArticleSection.objects.get(article=article).body
    assert body == '<p>新正文</p><a rel="noopener noreferrer">链接</a>'


def test_a_section_of_only_hostile_html_is_refused_not_emptied(editor_client):
    article = make_article("新闻", body="<p>原文</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data["sections-0-body"] = "<script>alert(1)</script>"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response) == {"sections-0-body": ["empty_after_sanitizing"]}
    assert ArticleSection.objects.get(article=article).body == "<p>原文</p>"


def article_with_sections(*bodies):
    article = make_article("新闻", body=bodies[0])
    for order, body in enumerate(bodies[1:], start=2):
        ArticleSection.objects.create(article=article, order=order, body=body)
    return article


def sections(article):
    return list(article.sections.order_by("order").values_list("order", "body"))


def test_two_sections_are_swapped_in_one_save(editor_client):
    article = article_with_sections("<p>甲</p>", "<p>乙</p>", "<p>丙</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data["sections-0-order"], data["sections-1-order"] = 2, 1
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert sections(article) == [(1, "<p>乙</p>"), (2, "<p>甲</p>"), (3, "<p>丙</p>")]


def test_sections_are_renumbered_with_one_deleted_and_one_added(editor_client):
    article = article_with_sections("<p>甲</p>", "<p>乙</p>", "<p>丙</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    # 甲 moves to the end, 乙 takes its place, 丙 is deleted and its number given to a new one.
    data.update({"sections-0-order": 3, "sections-1-order": 1, "sections-2-DELETE": "on"})
    add_inline_form(data, "sections", {"order": 2, "heading": "", "body": "<p>丁</p>"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert sections(article) == [(1, "<p>乙</p>"), (2, "<p>丁</p>"), (3, "<p>甲</p>")]


def test_two_sections_with_one_number_are_named_and_nothing_is_saved(editor_client):
    article = article_with_sections("<p>甲</p>", "<p>乙</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data.update({"sections-0-order": 2, "sections-0-body": "<p>甲改</p>"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response) == {
        "sections-0-order": ["order_taken"],
        "sections-1-order": ["order_taken"],
    }
    assert sections(article) == [(1, "<p>甲</p>"), (2, "<p>乙</p>")]


def test_rich_text_editor_assets_are_served_by_the_site(editor_client):
    article = make_article("新闻")
    response = editor_client.get(reverse("admin:directory_article_change", args=[article.pk]))
    html = response.text
    assert re.search(r'<script src="/static/directory/admin/rich_text\.js"[^>]*type="module"', html)
    assert "/static/django_prose_editor/editor.css" in html
    assert 'type="importmap"' not in html  # an inline script the CSP would block
    assert "data-rich-text" in html
    from django.contrib.staticfiles import finders

    for path in [
        "directory/admin/rich_text.js",
        "django_prose_editor/editor.js",
        "django_prose_editor/material-icons.woff2",
    ]:
        assert finders.find(path), path
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


# --- Scheduled publishing and preview -----------------------------------------------------


def test_scheduled_article_stays_hidden_until_its_time(client, monkeypatch):
    later = timezone.now() + datetime.timedelta(hours=2)
    article = make_article("定时新闻", publish_at=later)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    assert article not in Article.objects.published()
    assert "定时新闻" not in client.get(reverse("directory:article_list")).text

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(hours=3))
    assert article in Article.objects.published()
    response = client.get(url)
    assert response.status_code == 200
    assert "定时新闻" in response.text


def test_admin_shows_and_filters_scheduled_items(editor_client):
    make_article("定时新闻", publish_at=timezone.now() + datetime.timedelta(days=1))
    make_article("已发布新闻")
    make_article("草稿新闻", status=Status.DRAFT)
    url = reverse("admin:directory_article_changelist")
    for state, names in [
        ("scheduled", ["定时新闻"]),
        ("published", ["已发布新闻"]),
        ("draft", ["草稿新闻"]),
    ]:
        response = editor_client.get(url, {"state": state})
        assert [a.name for a in response.context["cl"].result_list] == names
    assert "state-badge--scheduled" in editor_client.get(url).text


def test_publishing_a_scheduled_item_keeps_its_time(editor_client):
    later = timezone.now() + datetime.timedelta(days=1)
    article = make_article("定时新闻", status=Status.DRAFT, publish_at=later)
    editor_client.post(
        reverse("admin:directory_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.publish_at == later
    assert article not in Article.objects.published()


def test_staff_previews_a_draft_visitors_get_404(client, editor_client, fast_hashing):
    draft = make_article("还没发布的新闻", status=Status.DRAFT, body="<p>草稿正文。</p>")
    preview = reverse("preview:article", kwargs={"slug": draft.slug})

    response = editor_client.get(preview)
    assert response.status_code == 200
    assert "还没发布的新闻" in response.text and "草稿正文。" in response.text
    assert "directory/article_detail.html" in [t.name for t in response.templates]
    assert response.context["is_preview"] is True
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    assert client.get(preview).status_code == 404  # a visitor
    assert client.get(draft.get_absolute_url()).status_code == 404
    nobody = make_staff("staff-without-role")
    client.force_login(nobody)
    assert client.get(preview).status_code == 404  # staff who may not view news


def test_reviewer_previews_too(reviewer_client):
    draft = make_article("草稿新闻", status=Status.DRAFT)
    assert (
        reviewer_client.get(reverse("preview:article", kwargs={"slug": draft.slug})).status_code
        == 200
    )


@pytest.mark.parametrize("kind", ["institution", "enterprise", "park"])
def test_preview_of_other_drafts(editor_client, client, kind):
    obj = {"institution": make_institution, "enterprise": make_enterprise, "park": make_park}[
        kind
    ]()
    obj.status = Status.DRAFT
    obj.save()
    url = reverse(f"preview:{kind}", kwargs={"slug": obj.slug})
    response = editor_client.get(url)
    assert response.status_code == 200
    assert obj.name in response.text
    assert client.get(url).status_code == 404


def test_invisible_control_characters_pasted_into_a_form_are_removed(editor_client):
    data = institution_data(name="重庆测试\x1b职业\uffff学院", summary="第一行\x0b第二行\ufffe")
    response = editor_client.post(reverse("admin:directory_institution_add"), data)
    assert response.status_code == 302
    institution = Institution.objects.get()
    assert (institution.name, institution.summary) == ("重庆测试职业学院", "第一行\n第二行")


# --- Values out of range --------------------------------------------------------------------


def test_a_publication_time_in_year_one_is_a_form_error(editor_client):
    data = institution_data(publish_at_0="0001-01-01", publish_at_1="00:00:00")
    response = editor_client.post(reverse("admin:directory_institution_add"), data)
    assert response.status_code == 200
    assert form_errors(response) == {"publish_at": ["publish_at_range"]}
    assert not Institution.objects.exists()


def test_a_founding_year_beyond_2100_is_a_form_error(editor_client):
    data = institution_data(founded_year="99999999999")
    response = editor_client.post(reverse("admin:directory_institution_add"), data)
    assert response.status_code == 200
    assert "founded_year" in form_errors(response)
    assert not Institution.objects.exists()


def test_an_order_beyond_a_small_integer_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("admin:directory_institution_add"), institution_data(order="99999999")
    )
    assert response.status_code == 200
    assert "order" in form_errors(response)
    assert not Institution.objects.exists()


def test_a_news_date_in_year_9999_is_a_form_error(editor_client):
    article = make_article("测试新闻")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data["date"] = "9999-12-31"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response)["date"] == ["date_range"]


def test_a_figure_too_large_to_store_is_a_form_error(editor_client):
    figure = make_figure("在校生")
    url = reverse("admin:directory_figure_change", args=[figure.pk])
    data = admin_form_data(editor_client.get(url))
    data["value"] = "9999999999999999.9999"  # fits the column, not SQLite's float
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response) == {"value": ["max_value"]}
    assert editor_client.get(reverse("directory:figure_list")).status_code == 200


# Figure values are stored with 4 decimal places; editors see them as written.
VALUES_AS_WRITTEN = [
    ("97", "97"),
    ("12.5", "12.5"),
    ("0.0001", "0.0001"),
    ("300000000", "300000000"),  # not 3E+8
    ("-3.25", "-3.25"),
]


def last_change_message(obj):
    entry = LogEntry.objects.filter(object_id=str(obj.pk)).latest("action_time")
    return json.loads(entry.change_message)


@pytest.mark.parametrize("stored, shown", VALUES_AS_WRITTEN)
def test_a_figure_value_is_shown_as_written_and_saved_unchanged_untouched(
    editor_client, stored, shown
):
    figure = make_figure("就业率", value=Decimal(stored), value_max=Decimal(stored) + 1)
    url = reverse("admin:directory_figure_change", args=[figure.pk])
    page = editor_client.get(url)
    assert f'name="value" value="{shown}"' in page.text
    assert f'name="value_max" value="{Decimal(stored) + 1}"' in page.text
    assert ".0000" not in editor_client.get(reverse("admin:directory_figure_changelist")).text

    assert editor_client.post(url, admin_form_data(page)).status_code == 302
    assert last_change_message(figure) == []  # "No fields changed."
    figure.refresh_from_db()
    assert (figure.value, figure.value_max) == (Decimal(stored), Decimal(stored) + 1)


@pytest.mark.parametrize("stored, shown", VALUES_AS_WRITTEN)
def test_figure_rows_of_an_institution_show_values_as_written(editor_client, stored, shown):
    institution = make_institution("重庆测试职业学院")
    figure = make_figure(
        "合作企业", value=Decimal(stored), scope="institution", institution=institution
    )
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    page = editor_client.get(url)
    assert f'name="figures-0-value" value="{shown}"' in page.text
    assert editor_client.post(url, admin_form_data(page)).status_code == 302
    assert last_change_message(institution) == []  # the figure row did not change
    figure.refresh_from_db()
    assert figure.value == Decimal(stored)


def test_the_figure_pages_say_how_to_write_a_number_and_show_it_written(editor_client):
    institution = make_institution("重庆测试职业学院")
    figure = make_figure("输送毕业生", value=Decimal("50000"), unit="名", qualifier="plus")
    figure_page = editor_client.get(reverse("admin:directory_figure_change", args=[figure.pk]))
    help_text = str(figure_page.context["adminform"].form.fields["value"].help_text)
    assert "50000" in help_text and "5万余名" in help_text
    assert help_text in figure_page.text
    # …and the number as the site writes it, checked before saving again.
    as_written = figure_page.text.split("field-as_written")[1]
    assert re.search(r'<div class="readonly">5万余名</div>', as_written)
    assert editor_client.get(reverse("admin:directory_figure_add")).status_code == 200

    # The same help on the figure column of an institution's rows (its header's tooltip).
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    institution_page = editor_client.get(url)
    assert f'title="{help_text}"' in institution_page.text


def test_a_figure_conflict_names_the_values_as_written(editor, second_editor):
    figure = make_figure("就业率", value=Decimal("97"), unit="%")
    url = reverse("admin:directory_figure_change", args=[figure.pk])
    wang, li = client_for(editor), client_for(second_editor)
    wang.post(url, admin_form_data(wang.get(url)))  # a first version in the history
    wang_form, li_form = admin_form_data(wang.get(url)), admin_form_data(li.get(url))
    wang_form["value"] = "98.5"
    assert wang.post(url, wang_form).status_code == 302
    li_form["unit"] = "个百分点"
    refused = li.post(url, li_form)
    message = refused.context["adminform"].form.non_field_errors()[0]
    assert "<del>97</del> → <ins>98.5</ins>" in message


@pytest.mark.parametrize("token", ["²", "9" * 5000, "１２３"])
def test_a_tampered_edit_token_is_not_a_server_error(editor_client, token):
    institution = make_institution("重庆测试职业学院")
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    editor_client.post(url, admin_form_data(editor_client.get(url)))  # a first version
    data = admin_form_data(editor_client.get(url))
    data["edit_token"] = token
    data["summary"] = "新的简介"
    response = editor_client.post(url, data)
    assert response.status_code == 200  # treated as a stale form: shown again, nothing lost
    assert "新的简介" in response.text


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"scope": "park"}, "园区"),  # the inline has no park column
        ({"scope": "city"}, "院校"),  # a city figure cannot belong to the institution
    ],
)
def test_figure_rows_with_errors_about_absent_columns_are_shown(editor_client, row, expected):
    institution = make_institution("重庆测试职业学院")
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    data = admin_form_data(editor_client.get(url))
    fields = {"name": "在校生", "value": "100", "unit": "名", "qualifier": "", "status": "draft"}
    add_inline_form(data, "figures", {**fields, "figure_status": "achieved", **row})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert expected in response.text
    assert not institution.figures.exists()


def test_an_inline_value_above_the_hidden_upper_value_is_a_row_error(editor_client):
    institution = make_institution("重庆测试职业学院")
    figure = make_figure(
        "合作企业", value=Decimal("1"), scope="institution", institution=institution
    )
    Figure.objects.filter(pk=figure.pk).update(value_max=Decimal("2"))
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    data = admin_form_data(editor_client.get(url))
    data["figures-0-value"] = "3"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    figure.refresh_from_db()
    assert figure.value == 1


# --- Protected deletes --------------------------------------------------------------------


def test_deleting_an_institution_others_point_to_is_refused_and_lists_them(editor_client):
    institution = make_institution("重庆五一技师学院")
    partnership = make_partnership(institution, name="一带一路国际技能研究院")
    make_figure("学生获奖", scope="institution", institution=institution)
    url = reverse("admin:directory_institution_delete", args=[institution.pk])

    response = editor_client.get(url)
    assert response.status_code == 200
    protected = [str(p) for p in response.context["protected"]]
    assert any("一带一路国际技能研究院" in p for p in protected)
    assert any("学生获奖" in p for p in protected)

    response = editor_client.post(url, {"post": "yes"})
    assert Institution.objects.filter(pk=institution.pk).exists()
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_deleting_a_park_lists_its_enterprises_and_clusters(editor_client):
    park = make_park("云计算产业园")
    make_enterprise("中迪医疗", park=park)
    make_cluster("医疗大数据企业集群", park=park)
    response = editor_client.get(reverse("admin:directory_park_delete", args=[park.pk]))
    protected = " ".join(str(p) for p in response.context["protected"])
    assert "中迪医疗" in protected and "医疗大数据企业集群" in protected
    editor_client.post(reverse("admin:directory_park_delete", args=[park.pk]), {"post": "yes"})
    assert Park.objects.filter(pk=park.pk).exists()


def test_bulk_delete_is_refused_too(editor_client):
    enterprise = make_enterprise("科大讯飞")
    make_partnership(make_institution(), enterprise, name="融智讯飞人工智能学院")
    url = reverse("admin:directory_enterprise_changelist")
    response = editor_client.post(
        url, {"action": "delete_selected", "_selected_action": [enterprise.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert "融智讯飞人工智能学院" in response.text
    assert enterprise.__class__.objects.filter(pk=enterprise.pk).exists()


def test_deleting_what_nothing_protects_asks_then_lists_what_goes_with_it(editor_client):
    from directory.models import NotableAlumnus

    institution = make_institution("重庆文化艺术职业学院")
    NotableAlumnus.objects.create(institution=institution, name="沈铁梅")
    url = reverse("admin:directory_institution_delete", args=[institution.pk])
    response = editor_client.get(url)
    assert "沈铁梅" in response.text  # listed before anything happens
    assert Institution.objects.filter(pk=institution.pk).exists()
    editor_client.post(url, {"post": "yes"})
    assert not Institution.objects.filter(pk=institution.pk).exists()
    assert not NotableAlumnus.objects.exists()


@pytest.mark.parametrize("value", ["abc", "1.5", "9" * 30, "-1"])
def test_a_tampered_choice_in_a_search_box_is_a_form_error(editor_client, value):
    """A hand-made POST can put anything in an autocomplete field; it is refused, not a 500."""
    institution = make_institution("重庆测试职业学院")
    enterprise = make_enterprise("测试企业")
    url = reverse("admin:directory_partnership_add")
    data = admin_form_data(editor_client.get(url))
    data.update(name="测试合作", institution=value, enterprise=str(enterprise.pk))
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response)["institution"] == ["invalid_choice"]
    assert not Partnership.objects.exists()
    # the valid side is still shown as chosen, so nothing chosen is lost
    assert f'<option value="{enterprise.pk}" selected>' in response.text
    assert institution.name not in response.text


@pytest.mark.parametrize("value", ["abc", "9" * 30])
def test_a_tampered_choice_in_a_multiple_search_box_is_a_form_error(editor_client, value):
    institution = make_institution("重庆测试职业学院", summary="旧的简介")
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(honours=[value], summary="新的简介")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response)["honours"] == ["invalid_pk_value"]
    assert "新的简介" in response.text  # shown again for correction, not lost
    institution.refresh_from_db()
    assert institution.summary == "旧的简介"
