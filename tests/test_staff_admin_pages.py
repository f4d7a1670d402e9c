"""Every admin page an editor uses opens, in Chinese, and its search finds by pinyin."""

import json

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from directory.models import Status
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
from tests.staff_factories import editor, editor_client, fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db

MODELS = [
    "honour",
    "cluster",
    "institution",
    "park",
    "enterprise",
    "partnership",
    "figure",
    "article",
    "photo",
]
IMPORTABLE = ["institution", "enterprise", "partnership"]


@pytest.fixture
def content():
    park = make_park("云计算产业园")
    cluster = make_cluster("医疗大数据企业集群", park=park)
    institution = make_institution("重庆五一技师学院", honours=[make_honour("世赛中国集训基地")])
    enterprise = make_enterprise("中迪医疗", park=park, cluster=cluster)
    article = make_article("重庆高职城瞄准大数据智能化前沿")
    return {
        "honour": institution.honours.get(),
        "cluster": cluster,
        "institution": institution,
        "park": park,
        "enterprise": enterprise,
        "partnership": make_partnership(institution, enterprise, name="融智讯飞人工智能学院"),
        "figure": make_figure("输送优秀毕业生"),
        "article": article,
        "photo": make_photo(article, caption="云教育产业园"),
    }


@pytest.mark.parametrize("model", MODELS)
def test_every_page_of_every_model_opens_for_an_editor(editor_client, content, model):
    obj = content[model]
    pages = [
        reverse(f"admin:directory_{model}_changelist"),
        reverse(f"admin:directory_{model}_add"),
        reverse(f"admin:directory_{model}_change", args=[obj.pk]),
        reverse(f"admin:directory_{model}_history", args=[obj.pk]),
        reverse(f"admin:directory_{model}_delete", args=[obj.pk]),
        reverse(f"admin:directory_{model}_recoverlist"),
    ]
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans"' in response.text
    changelist = editor_client.get(pages[0])
    assert str(obj) in changelist.text


@pytest.mark.parametrize("model", MODELS)
def test_history_pages_have_the_admins_breadcrumbs(editor_client, content, model):
    obj = content[model]
    with reversion.create_revision():
        obj.save()
    version = Version.objects.get_for_object(obj).get()
    pages = [
        reverse(f"admin:directory_{model}_revision", args=[obj.pk, version.pk]),
        reverse(f"admin:directory_{model}_recover", args=[version.pk]),
        reverse(f"admin:directory_{model}_recoverlist"),
    ]
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        # Styled by Django 6.1's admin: reversion's own markup sat unstyled under the header.
        assert '<ol class="breadcrumbs">' in response.text, url
        assert '<div class="breadcrumbs">' not in response.text, url


@pytest.mark.parametrize(
    "model, field",
    [
        ("institution", "honours"),
        ("enterprise", "cluster"),
        ("enterprise", "park"),
        ("partnership", "institution"),
        ("photo", "article"),
    ],
)
def test_a_filter_by_a_related_record_names_its_none_choice(editor_client, content, model, field):
    response = editor_client.get(reverse(f"admin:directory_{model}_changelist"))
    [spec] = [
        f for f in response.context["cl"].filter_specs if getattr(f, "field_path", "") == field
    ]
    empty = [
        c
        for c in spec.choices(response.context["cl"])
        if f"{field}__isnull=True" in c["query_string"]
    ]
    assert [c["display"] for c in empty] == ["无"]  # was "-"


@pytest.mark.parametrize("model", IMPORTABLE)
def test_import_and_export_pages_open(editor_client, content, model):
    assert editor_client.get(reverse(f"admin:directory_{model}_import")).status_code == 200
    assert editor_client.get(reverse(f"admin:directory_{model}_export")).status_code == 200


def test_admin_index_lists_content_in_chinese(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.text
    assert "注销" in response.text  # Django's own admin strings come in Chinese
    assert reverse("admin:directory_article_changelist") in response.text
    assert reverse("admin:auth_user_changelist") not in response.text


def test_rich_text_editor_texts_are_in_chinese(editor_client):
    # The editor's dialogs and toolbar titles go through the admin's JavaScript catalogue.
    catalogue = editor_client.get(reverse("admin:jsi18n")).content.decode()
    for english, chinese in [("bold", "粗体"), ("Open in new window", "在新窗口中打开")]:
        assert json.dumps({english: chinese})[1:-1] in catalogue  # as the catalogue writes it
    add_form = editor_client.get(reverse("admin:directory_article_add")).content.decode()
    # The catalogue comes before the editor's module, which reads window.gettext once.
    assert add_form.index(reverse("admin:jsi18n")) < add_form.index("admin/rich_text.js")


@pytest.mark.parametrize("query", ["五一", "wuyi", "WYJS", "chongqingwuyi"])
def test_search_by_chinese_pinyin_and_initials(editor_client, content, query):
    make_institution("重庆文化艺术职业学院")
    response = editor_client.get(reverse("admin:directory_institution_changelist"), {"q": query})
    names = [obj.name for obj in response.context["cl"].result_list]
    assert names == ["重庆五一技师学院"]


def test_photo_search_finds_by_the_pinyin_of_what_it_shows(editor_client, content):
    make_photo(None, caption="别的图片")
    response = editor_client.get(reverse("admin:directory_photo_changelist"), {"q": "gaozhicheng"})
    assert [p.caption for p in response.context["cl"].result_list] == ["云教育产业园"]


def test_changelist_shows_state_and_thumbnail_column(editor_client, content):
    response = editor_client.get(reverse("admin:directory_article_changelist"))
    assert "state-badge--published" in response.text
    assert "column-thumbnail" in response.text


def test_changelists_make_no_query_per_row(editor_client, content, django_assert_max_num_queries):
    for i in range(12):
        article = make_article(f"新闻{i}")
        make_photo(article, caption=f"图片{i}")
        make_institution(f"重庆测试学院{i}")
    for model in ["article", "institution", "enterprise", "photo", "partnership"]:
        # 18: three of them move the session's expiry on (a savepoint, its UPDATE, release).
        with django_assert_max_num_queries(18):
            assert (
                editor_client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
            )


def test_autocomplete_on_every_relation(editor_client, content):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "ZDYL",
            "app_label": "directory",
            "model_name": "partnership",
            "field_name": "enterprise",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["中迪医疗"]


def test_view_on_site_goes_to_the_public_page_or_the_preview(editor_client, content):
    article = content["article"]
    response = editor_client.get(reverse("admin:directory_article_change", args=[article.pk]))
    assert article.get_absolute_url() in response.text

    draft = make_article("草稿新闻", status=Status.DRAFT)
    response = editor_client.get(reverse("admin:directory_article_change", args=[draft.pk]))
    assert reverse("preview:article", kwargs={"slug": draft.slug}) in response.text


# Hand-made filters that fail only when the query runs: an invalid regular expression, a
# year past 9999 (Python's limit) or past a C int.
FAILING_LOOKUPS = [
    "name__regex=[",
    "name__iregex=(",
    "publish_at__year=99999999999",
    "publish_at__year=10000",
]


@pytest.mark.parametrize("query", FAILING_LOOKUPS)
@pytest.mark.parametrize("model", ["institution", "article", "enterprise", "figure"])
def test_a_filter_the_database_refuses_redirects_like_any_bad_filter(
    editor_client, content, model, query
):
    url = reverse(f"admin:directory_{model}_changelist")
    response = editor_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
    # The transaction is still usable (PostgreSQL), and the list opens again.
    assert editor_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("query", ["caption__regex=[", "updated__year=99999999999"])
def test_a_filter_the_database_refuses_on_the_photo_list_redirects(editor_client, content, query):
    url = reverse("admin:directory_photo_changelist")
    response = editor_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_a_number_only_sqlite_cannot_bind_is_no_500(editor_client, content):
    # SQLite refuses to bind it (a redirect); PostgreSQL compares it and finds nothing.
    url = reverse("admin:directory_institution_changelist")
    response = editor_client.get(f"{url}?pk__in=1,99999999999999999999")
    assert response.status_code in (200, 302)


def test_a_valid_hand_made_filter_still_filters(editor_client, content):
    make_institution("北京测试学院")
    response = editor_client.get(
        reverse("admin:directory_institution_changelist"), {"name__regex": "^重庆"}
    )
    assert response.status_code == 200
    assert [obj.name for obj in response.context["cl"].result_list] == ["重庆五一技师学院"]
