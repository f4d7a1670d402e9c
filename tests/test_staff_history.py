"""Nothing lost: every change recorded and restorable; concurrent saves refused, not merged."""

import json
import re

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from directory.models import Article, ArticleSection, Institution, NotableAlumnus, Status
from tests.factories import make_article, make_figure, make_honour, make_institution
from tests.staff_factories import (  # noqa: F401  (fixtures)
    add_inline_form,
    admin_form_data,
    client_for,
    editor,
    editor_client,
    fast_hashing,
    form_errors,
    second_editor,
)
from tests.test_staff_import import confirm, csv_file, upload

pytestmark = pytest.mark.django_db


def change(client, obj, **fields):
    """Open obj's change page, change some fields, save; return the response."""
    url = reverse(f"admin:directory_{obj._meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client.get(url))
    data.update(fields)
    return client.post(url, data)


# --- History and restore ------------------------------------------------------------------


def test_every_change_is_recorded_with_who_when_and_what(editor_client, editor):
    institution = make_institution("重庆五一技师学院", summary="第一版")
    assert change(editor_client, institution, summary="第二版").status_code == 302
    assert change(editor_client, institution, summary="第三版", address="巴南区").status_code == 302

    versions = Version.objects.get_for_object(institution)
    assert [v.field_dict["summary"] for v in versions] == ["第三版", "第二版"]
    latest = versions[0].revision
    assert latest.user == editor
    assert latest.date_created is not None
    entry = LogEntry.objects.filter(object_id=str(institution.pk)).latest("action_time")
    fields = json.loads(entry.change_message)[0]["changed"]["fields"]
    assert [f.lower() for f in fields] == ["summary", "address"]
    assert latest.get_comment() == entry.get_change_message()

    history = editor_client.get(
        reverse("admin:directory_institution_history", args=[institution.pk])
    )
    assert history.status_code == 200
    assert editor.username in history.text
    assert (
        history.text.count(
            reverse("admin:directory_institution_revision", args=[institution.pk, versions[1].pk])
        )
        == 1
    )


def test_an_earlier_version_is_restored_from_the_admin(editor_client):
    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    change(editor_client, institution, summary="正确的摘要")
    change(editor_client, institution, summary="写错的摘要")
    good = Version.objects.get_for_object(institution).get(serialized_data__contains="正确的摘要")
    url = reverse("admin:directory_institution_revision", args=[institution.pk, good.pk])

    # Opening the old version shows it, and changes nothing yet.
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "正确的摘要" in response.text
    institution.refresh_from_db()
    assert institution.summary == "写错的摘要"

    response = editor_client.post(url, admin_form_data(response))
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    assert institution.summary == "正确的摘要"
    # The restore is itself a new version: the mistake stays in the history.
    assert Version.objects.get_for_object(institution).count() == 3


def test_restoring_an_article_brings_back_its_sections(editor_client):
    article = make_article("新闻", body="<p>第一稿正文</p>")
    change(editor_client, article, **{"sections-0-body": "<p>第二稿正文</p>"})
    first = Version.objects.get_for_object(article).last()
    change(editor_client, article, **{"sections-0-body": "<p>第三稿正文</p>"})
    url = reverse("admin:directory_article_revision", args=[article.pk, first.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    assert ArticleSection.objects.get(article=article).body == "<p>第二稿正文</p>"


def test_an_article_is_restored_to_before_its_sections_were_swapped(editor_client):
    article = make_article("新闻", body="<p>甲</p>")
    ArticleSection.objects.create(article=article, order=2, body="<p>乙</p>")
    change(editor_client, article, subtitle="第一版")
    before = Version.objects.get_for_object(article).get()
    swapped = change(editor_client, article, **{"sections-0-order": 2, "sections-1-order": 1})
    assert swapped.status_code == 302, form_errors(swapped)

    url = reverse("admin:directory_article_revision", args=[article.pk, before.pk])
    preview = editor_client.get(url)
    assert preview.status_code == 200  # was a redirect: "无法保存 §2 版本 - 缺少依赖"
    response = editor_client.post(url, admin_form_data(preview))
    assert response.status_code == 302, form_errors(response)
    sections = article.sections.order_by("order").values_list("order", "body")
    assert list(sections) == [(1, "<p>甲</p>"), (2, "<p>乙</p>")]


def test_a_deleted_record_is_recovered(editor_client):
    institution = make_institution("重庆艺术学校")
    change(editor_client, institution, summary="有历史的记录")
    editor_client.post(
        reverse("admin:directory_institution_delete", args=[institution.pk]), {"post": "yes"}
    )
    assert not Institution.objects.exists()

    recover_list = editor_client.get(reverse("admin:directory_institution_recoverlist"))
    assert "重庆艺术学校" in recover_list.text
    version = Version.objects.get_deleted(Institution).get()
    url = reverse("admin:directory_institution_recover", args=[version.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    assert Institution.objects.get().summary == "有历史的记录"


def warnings(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_deleted_record_whose_address_was_taken_is_recovered_under_a_free_one(editor_client):
    institution = make_institution("重庆艺术学校", summary="有历史的记录")
    change(editor_client, institution, summary="有历史的记录")
    editor_client.post(
        reverse("admin:directory_institution_delete", args=[institution.pk]), {"post": "yes"}
    )
    newcomer = make_institution("重庆艺术学校", summary="新加的记录")  # takes the address
    assert newcomer.slug == institution.slug

    version = Version.objects.get_deleted(Institution).get()
    url = reverse("admin:directory_institution_recover", args=[version.pk])
    preview = editor_client.get(url)
    assert preview.status_code == 200  # was a redirect: "无法保存 重庆艺术学校 版本 - 缺少依赖"
    free = f"{institution.slug}-2"
    assert preview.context["adminform"].form["slug"].value() == free
    [warning] = warnings(preview)
    assert institution.slug in warning and free in warning
    assert "校企合作、关键数据" in restore_note(preview)

    response = editor_client.post(url, admin_form_data(preview))
    assert response.status_code == 302, form_errors(response)
    recovered = Institution.objects.get(pk=institution.pk)
    assert (recovered.slug, recovered.summary) == (free, "有历史的记录")
    newcomer.refresh_from_db()
    assert newcomer.slug == institution.slug


def test_a_record_restored_keeps_its_address_when_its_old_one_was_taken(editor_client):
    institution = make_institution("重庆艺术学校", slug="art")
    change(editor_client, institution, summary="旧摘要")
    old = Version.objects.get_for_object(institution).get()
    change(editor_client, institution, summary="新摘要", slug="art-school")
    other = make_institution("重庆美术学校", slug="art")

    url = reverse("admin:directory_institution_revision", args=[institution.pk, old.pk])
    preview = editor_client.get(url)
    assert preview.status_code == 200
    assert preview.context["adminform"].form["slug"].value() == "art-school"
    [warning] = warnings(preview)
    assert "重庆美术学校" in warning and "art-school" in warning
    response = editor_client.post(url, admin_form_data(preview))
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    other.refresh_from_db()
    assert (institution.summary, institution.slug, other.slug) == ("旧摘要", "art-school", "art")


def restore_note(response):
    note = re.search(r'<div class="restore-note">(.*?)</div>', response.text, re.S)
    assert note, "the page does not say what a restore brings back"
    return " ".join(note.group(1).split())


def test_history_and_restore_pages_say_which_rows_come_back_with_the_record(editor_client):
    institution = make_institution("重庆五一技师学院")
    change(editor_client, institution, summary="第一版")
    version = Version.objects.get_for_object(institution).get()
    pages = [
        reverse("admin:directory_institution_history", args=[institution.pk]),
        reverse("admin:directory_institution_revision", args=[institution.pk, version.pk]),
    ]
    for url in pages:
        note = restore_note(editor_client.get(url))
        # Restored with it: its alumni. Left as they are: partnerships and figures.
        assert "知名校友" in note and "校企合作、关键数据" in note
        assert note.index("知名校友") < note.index("校企合作")

    article = make_article("新闻")
    change(editor_client, article, subtitle="第一版")
    history = editor_client.get(reverse("admin:directory_article_history", args=[article.pk]))
    note = restore_note(history)
    assert note.index("正文分节") < note.index("图片")

    honour = make_honour("世赛中国集训基地")  # no inline rows: nothing to say
    history = editor_client.get(reverse("admin:directory_honour_history", args=[honour.pk]))
    assert 'class="restore-note"' not in history.text


def alumni(institution):
    return list(institution.alumni.values_list("name", flat=True))


def test_restoring_one_record_of_an_import_leaves_the_other_records_alone(editor_client):
    wuyi = make_institution("重庆五一技师学院", slug="wuyi", summary="旧摘要")
    art = make_institution("重庆艺术学校", slug="art", summary="旧摘要")
    NotableAlumnus.objects.create(institution=wuyi, name="张三")
    NotableAlumnus.objects.create(institution=art, name="李四")
    text = (
        "slug,name,kind,summary\n"
        "wuyi,重庆五一技师学院,technician,导入的摘要\n"
        "art,重庆艺术学校,secondary,导入的摘要\n"
    )
    preview = upload(editor_client, "institution", csv_file(text))
    assert confirm(editor_client, "institution", preview).status_code == 302
    imported = Version.objects.get_for_object(wuyi).get()
    assert imported.revision.version_set.count() == 4  # both records and their alumni

    # Afterwards both records are edited, their alumni too.
    for institution, name, added in [(wuyi, "张三丰", "王五"), (art, "李四光", "赵六")]:
        url = reverse("admin:directory_institution_change", args=[institution.pk])
        data = admin_form_data(editor_client.get(url))
        data.update({"summary": "后来的摘要", "alumni-0-name": name})
        add_inline_form(data, "alumni", {"name": added, "order": 1})
        assert editor_client.post(url, data).status_code == 302

    url = reverse("admin:directory_institution_revision", args=[wuyi.pk, imported.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)

    # The restored record is as imported, with its alumni as they were then…
    wuyi.refresh_from_db()
    assert (wuyi.kind, wuyi.summary, alumni(wuyi)) == ("technician", "导入的摘要", ["张三"])
    # …and the other record of the import keeps every later edit.
    art.refresh_from_db()
    assert (art.kind, art.summary, alumni(art)) == ("secondary", "后来的摘要", ["李四光", "赵六"])
    assert Version.objects.get_for_object(art).count() == 2  # not touched by the restore


def test_restoring_one_of_the_records_published_together_leaves_the_other_alone(editor_client):
    first = make_institution("重庆五一技师学院", status=Status.DRAFT)
    second = make_institution("重庆艺术学校", status=Status.DRAFT)
    editor_client.post(
        reverse("admin:directory_institution_changelist"),
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
    )
    published = Version.objects.get_for_object(first).get()
    change(editor_client, first, summary="发布后的修改")
    change(editor_client, second, summary="另一条的修改")

    url = reverse("admin:directory_institution_revision", args=[first.pk, published.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.summary, second.summary) == ("", "另一条的修改")


def test_a_version_of_another_kind_of_record_is_not_restored_here(editor_client):
    article = make_article("新闻", body="<p>第一稿</p>")
    change(editor_client, article, **{"sections-0-body": "<p>第二稿</p>"})
    first = Version.objects.get_for_object(article).get()
    change(editor_client, article, **{"sections-0-body": "<p>第三稿</p>"})
    institution = make_institution("重庆五一技师学院", pk=article.pk)  # the same object_id
    data = admin_form_data(
        editor_client.get(reverse("admin:directory_institution_change", args=[institution.pk]))
    )

    # A hand-made address: the institution's page, with the version of the article.
    url = reverse("admin:directory_institution_revision", args=[institution.pk, first.pk])
    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url, data).status_code == 404
    recover = reverse("admin:directory_institution_recover", args=[first.pk])
    assert editor_client.post(recover, data).status_code == 404
    assert ArticleSection.objects.get(article=article).body == "<p>第三稿</p>"


def test_publish_actions_are_recorded_too(editor_client, editor):
    article = make_article("新闻", status=Status.DRAFT)
    editor_client.post(
        reverse("admin:directory_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    version = Version.objects.get_for_object(article).get()
    assert version.field_dict["status"] == Status.PUBLISHED
    assert version.revision.user == editor


# --- Concurrent edits ---------------------------------------------------------------------


def test_second_save_is_refused_and_shows_the_other_change(editor, second_editor):
    wang, li = Client(), Client()
    wang.force_login(editor)
    li.force_login(second_editor)
    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    # Both open the same record.
    wang_form = admin_form_data(wang.get(url))
    li_form = admin_form_data(li.get(url))

    wang_form["summary"] = "王改的摘要"
    assert wang.post(url, wang_form).status_code == 302

    li_form["summary"] = "李改的摘要"
    li_form["address"] = "巴南区"
    refused = li.post(url, li_form)
    assert refused.status_code == 200
    assert form_errors(refused) == {"__all__": ["conflict"]}
    message = refused.context["adminform"].form.non_field_errors()[0]
    assert editor.username in message  # who
    # What: no history of the state Li loaded (made outside the admin), so the message lists
    # where the stored record and Li's form differ.
    assert "王改的摘要" in message and "李改的摘要" in message and "巴南区" in message
    # Li's input is still in the form, and Wang's change is what is stored.
    assert refused.context["adminform"].form["summary"].value() == "李改的摘要"
    institution.refresh_from_db()
    assert (institution.summary, institution.address) == ("王改的摘要", "")

    # Saving again after reading the message deliberately keeps Li's version.
    again = admin_form_data(refused)
    assert li.post(url, again).status_code == 302
    institution.refresh_from_db()
    assert (institution.summary, institution.address) == ("李改的摘要", "巴南区")
    # Both versions are in the history.
    summaries = [v.field_dict["summary"] for v in Version.objects.get_for_object(institution)]
    assert summaries == ["李改的摘要", "王改的摘要"]


def test_conflict_message_lists_their_changes_from_the_history(editor, second_editor):
    wang, li = Client(), Client()
    wang.force_login(editor)
    li.force_login(second_editor)
    institution = make_institution("重庆五一技师学院")
    change(wang, institution, summary="原来的摘要")  # now in the history
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    wang_form = admin_form_data(wang.get(url))
    li_form = admin_form_data(li.get(url))
    wang_form.update(summary="王改的摘要", website="https://www.cqgzc.example/")
    assert wang.post(url, wang_form).status_code == 302
    li_form["address"] = "巴南区"
    refused = li.post(url, li_form)
    message = refused.context["adminform"].form.non_field_errors()[0]
    assert "<del>原来的摘要</del> → <ins>王改的摘要</ins>" in message
    assert "https://www.cqgzc.example/" in message
    assert "巴南区" not in message  # only their changes, not Li's own
    institution.refresh_from_db()
    assert institution.address == ""


def test_conflict_also_guards_articles_with_their_sections(editor, second_editor):
    wang, li = Client(), Client()
    wang.force_login(editor)
    li.force_login(second_editor)
    article = make_article("新闻", body="<p>原文</p>")
    url = reverse("admin:directory_article_change", args=[article.pk])
    wang_form = admin_form_data(wang.get(url))
    li_form = admin_form_data(li.get(url))
    wang_form["sections-0-body"] = "<p>王的正文</p>"
    assert wang.post(url, wang_form).status_code == 302
    li_form["sections-0-body"] = "<p>李的正文</p>"
    refused = li.post(url, li_form)
    assert form_errors(refused) == {"__all__": ["conflict"]}
    assert ArticleSection.objects.get(article=article).body == "<p>王的正文</p>"


def institution_page_then_figure_corrected(wang, li):
    """Wang opens an institution's page; Li then corrects one of its figures on the figure's
    own page. Returns the institution, the figure and Wang's form."""
    institution = make_institution("重庆五一技师学院")
    figure = make_figure("就业率", scope="institution", institution=institution, value=97, unit="%")
    with reversion.create_revision():
        figure.save()  # in the history as the page is loaded
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    wang_form = admin_form_data(wang.get(url))  # the figure is one of its rows
    figure_url = reverse("admin:directory_figure_change", args=[figure.pk])
    li_form = admin_form_data(li.get(figure_url))
    li_form["value"] = "98"
    assert li.post(figure_url, li_form).status_code == 302
    return institution, figure, url, wang_form


def test_an_inline_row_left_alone_keeps_what_was_saved_on_its_own_page(editor, second_editor):
    wang, li = client_for(editor), client_for(second_editor)
    institution, figure, url, wang_form = institution_page_then_figure_corrected(wang, li)
    # Wang's page still says 97: it was saved over Li's 98, unasked.
    wang_form["summary"] = "王改的摘要"
    assert wang.post(url, wang_form).status_code == 302
    figure.refresh_from_db()
    institution.refresh_from_db()
    assert (figure.value, figure.unit, institution.summary) == (98, "%", "王改的摘要")


def test_an_inline_row_changed_on_its_own_page_meanwhile_is_refused(editor, second_editor):
    wang, li = client_for(editor), client_for(second_editor)
    institution, figure, url, wang_form = institution_page_then_figure_corrected(wang, li)
    wang_form["figures-0-unit"] = "个百分点"
    refused = wang.post(url, wang_form)
    assert form_errors(refused) == {"figures-0-__all__": ["conflict"]}
    [message] = refused.context["inline_admin_formsets"][2].formset.forms[0].non_field_errors()
    assert second_editor.username in message and "<del>97</del> → <ins>98</ins>" in message
    figure.refresh_from_db()
    assert (figure.value, figure.unit) == (98, "%")

    # Saving again after reading the message deliberately keeps Wang's row.
    assert wang.post(url, admin_form_data(refused)).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.unit) == (97, "个百分点")


def test_a_record_deleted_meanwhile_is_reported_not_recreated(editor, second_editor):
    wang, li = Client(), Client()
    wang.force_login(editor)
    li.force_login(second_editor)
    article = make_article("新闻")
    url = reverse("admin:directory_article_change", args=[article.pk])
    li_form = admin_form_data(li.get(url))
    wang.post(reverse("admin:directory_article_delete", args=[article.pk]), {"post": "yes"})
    response = li.post(url, li_form)
    assert response.status_code in (200, 302)
    assert not Article.objects.filter(pk=article.pk).exists()


def test_saving_twice_in_a_row_alone_is_never_refused(editor_client):
    institution = make_institution("重庆五一技师学院")
    assert change(editor_client, institution, summary="一").status_code == 302
    assert change(editor_client, institution, summary="二").status_code == 302
    institution.refresh_from_db()
    assert institution.summary == "二"
