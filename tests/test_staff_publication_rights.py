"""Publishing needs the publish permission, withdrawing the unpublish permission, everywhere:
the edit and add pages, inline rows, imports and restores from the history, not only the
list actions."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from directory.admin.forms import locked_publication_fields
from directory.models import Honour, Institution, Partnership, Status
from tests.factories import make_enterprise, make_honour, make_institution, make_partnership
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
    superuser,
)
from tests.test_staff_editing import institution_data
from tests.test_staff_import import confirm, csv_file, upload

pytestmark = pytest.mark.django_db

CONTENT = ["article", "articlesection", "honour", "institution", "notablealumnus", "partnership"]
PUBLISHABLE = ["article", "honour", "institution", "partnership"]


def role(name, extra=()):
    """A custom staff role: edits content, and holds only the publication rights in extra."""
    group = Group.objects.create(name=name)
    codenames = [f"{a}_{m}" for m in CONTENT for a in ("add", "change", "delete", "view")]
    codenames += [f"{a}_{m}" for m in PUBLISHABLE for a in extra]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
    )
    return group.name


@pytest.fixture
def writer(db, fast_hashing):
    """May edit everything, publish and withdraw nothing."""
    return make_staff("writer-sun", role("Writers"))


@pytest.fixture
def writer_client(writer):
    return client_for(writer)


@pytest.fixture
def withdrawer_client(db, fast_hashing):
    """May edit and withdraw, not publish."""
    return client_for(make_staff("withdrawer-qian", role("Withdrawers", extra=["unpublish"])))


def change_page(client, obj):
    url = reverse(f"admin:directory_{obj._meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


def form_fields(response):
    return response.context["adminform"].form.fields


LATER = timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=30)
LATER_FIELDS = {"publish_at_0": f"{LATER:%Y-%m-%d}", "publish_at_1": f"{LATER:%H:%M:%S}"}


# --- The edit and add pages ---------------------------------------------------------------


def test_without_publish_rights_a_draft_stays_a_draft_and_the_rest_is_saved(writer_client):
    institution = make_institution("重庆五一技师学院", status=Status.DRAFT, summary="旧摘要")
    url, page = change_page(writer_client, institution)
    assert "status" not in form_fields(page)  # shown, not editable
    assert "publish_at" in form_fields(page)  # a draft's time is only a plan

    data = admin_form_data(page) | {"summary": "新摘要", "status": "published"}
    response = writer_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    assert (institution.status, institution.summary) == (Status.DRAFT, "新摘要")


def test_without_publish_rights_a_new_record_is_a_draft(writer_client):
    page = writer_client.get(reverse("admin:directory_honour_add"))
    assert "status" not in form_fields(page)
    response = writer_client.post(
        reverse("admin:directory_honour_add"),
        {"name": "世赛中国集训基地", "description": "新的荣誉", "status": "published"},
    )
    assert response.status_code == 302
    honour = Honour.objects.get()
    assert (honour.status, honour.description) == (Status.DRAFT, "新的荣誉")


def test_without_withdraw_rights_a_published_record_stays_published_at_its_time(writer_client):
    institution = make_institution("重庆五一技师学院", summary="旧摘要")
    url, page = change_page(writer_client, institution)
    assert "status" not in form_fields(page)
    assert "publish_at" not in form_fields(page)  # a later time would hide it

    data = admin_form_data(page) | {"summary": "新摘要", "status": "draft"} | LATER_FIELDS
    response = writer_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    assert (institution.status, institution.publish_at) == (Status.PUBLISHED, None)
    assert institution.summary == "新摘要"
    assert institution.is_published


def test_a_draft_keeps_the_time_planned_by_someone_who_may_not_publish(writer_client):
    institution = make_institution("重庆五一技师学院", status=Status.DRAFT)
    url, page = change_page(writer_client, institution)
    response = writer_client.post(url, admin_form_data(page) | LATER_FIELDS)
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    assert (institution.status, institution.publish_at) == (Status.DRAFT, LATER)


def test_withdraw_rights_alone_withdraw_but_do_not_publish(withdrawer_client):
    published = make_institution("重庆五一技师学院")
    url, page = change_page(withdrawer_client, published)
    assert "status" in form_fields(page)
    assert "publish_at" not in form_fields(page)  # moving it may also show it sooner
    response = withdrawer_client.post(url, admin_form_data(page) | {"status": "draft"})
    assert response.status_code == 302, form_errors(response)
    published.refresh_from_db()
    assert published.status == Status.DRAFT

    # Now a draft: the withdrawer cannot publish it again.
    url, page = change_page(withdrawer_client, published)
    assert "status" not in form_fields(page)


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_editors_and_superusers_publish_withdraw_and_schedule_from_the_page(request, who):
    client = client_for(request.getfixturevalue(who))
    institution = make_institution("重庆五一技师学院", status=Status.DRAFT)
    url, page = change_page(client, institution)
    assert {"status", "publish_at"} <= set(form_fields(page))
    response = client.post(url, admin_form_data(page) | {"status": "published"} | LATER_FIELDS)
    assert response.status_code == 302, form_errors(response)
    institution.refresh_from_db()
    assert (institution.status, institution.publish_at) == (Status.PUBLISHED, LATER)

    url, page = change_page(client, institution)
    assert {"status", "publish_at"} <= set(form_fields(page))
    client.post(url, admin_form_data(page) | {"status": "draft"})
    institution.refresh_from_db()
    assert institution.status == Status.DRAFT


def info_messages(client, response):
    assert response.status_code == 302, form_errors(response)
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"] if m.level_tag == "info"]


def test_a_saved_record_visitors_cannot_see_yet_says_so(editor_client, writer_client):
    url = reverse("admin:directory_institution_add")
    # A new record is a draft unless its status is set: it was saved, and not on the site.
    [message] = info_messages(editor_client, editor_client.post(url, institution_data()))
    assert "重庆测试职业学院" in message and "已发布" in message  # how to show it
    later = timezone.localtime() + datetime.timedelta(days=2)
    scheduled = institution_data(
        name="重庆定时职业学院",
        status="published",
        publish_at_0=f"{later:%Y-%m-%d}",
        publish_at_1=f"{later:%H:%M:%S}",
    )
    [message] = info_messages(editor_client, editor_client.post(url, scheduled))
    assert "重庆定时职业学院" in message and f"{later.day}日" in message  # from when
    published = institution_data(name="重庆公开职业学院", status="published")
    assert info_messages(editor_client, editor_client.post(url, published)) == []

    # Who may not publish is told who can.
    [message] = info_messages(writer_client, writer_client.post(url, institution_data()))
    assert "已发布" not in message


# --- Inline rows --------------------------------------------------------------------------


def test_inline_rows_keep_their_status_and_new_rows_are_drafts(writer_client):
    institution = make_institution("重庆工商大学融智学院")
    company = make_enterprise("科大讯飞")
    draft = make_partnership(institution, company, name="草稿订单班", status=Status.DRAFT)
    published = make_partnership(institution, company, name="已发布的学院")
    url, page = change_page(writer_client, institution)
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Partnership
    )
    assert all(form.fields["status"].disabled for form in formset.forms)

    data = admin_form_data(page)
    for form in formset.initial_forms:
        row = {draft.pk: "published", published.pk: "draft"}[form.instance.pk]
        data[form.add_prefix("status")] = row
        data[form.add_prefix("name")] = f"{form.instance.name}（改）"
    add_inline_form(
        data,
        formset.prefix,
        {
            "name": "新的订单班",
            "kind": "order_class",
            "enterprise": company.pk,
            "status": "published",
        },
    )
    response = writer_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    statuses = dict(Partnership.objects.values_list("name", "status"))
    assert statuses == {
        "草稿订单班（改）": Status.DRAFT,
        "已发布的学院（改）": Status.PUBLISHED,
        "新的订单班": Status.DRAFT,
    }


def test_each_locked_inline_row_says_why(writer_client):
    institution = make_institution("重庆工商大学融智学院")
    make_partnership(institution, name="草稿订单班", status=Status.DRAFT)
    make_partnership(institution, name="已发布的学院")
    url, page = change_page(writer_client, institution)
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Partnership
    )
    # A tabular row shows no help text: each row's status cell says why it is locked, and
    # the select names that reason as its description.
    for form in formset.initial_forms:
        why = locked_publication_fields(form.instance.status, None, frozenset())["status"]
        cell = re.search(
            rf'<td class="field-status">\s*<select [^>]*id="id_{form.prefix}-status"'
            r'[^>]*aria-describedby="([^"]+)"[^>]*>.*?</select>'
            r'<div class="help locked-reason" id="([^"]+)">(.*?)</div>\s*</td>',
            page.text,
            re.S,
        )
        assert cell, f"{form.instance} says nothing of its locked status"
        described_by, reason_id, text = cell.groups()
        assert described_by == reason_id and text == str(why)


def test_editors_still_publish_inline_rows(editor_client):
    institution = make_institution("重庆工商大学融智学院")
    draft = make_partnership(institution, name="草稿订单班", status=Status.DRAFT)
    url, page = change_page(editor_client, institution)
    data = admin_form_data(page)
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Partnership
    )
    data[formset.initial_forms[0].add_prefix("status")] = "published"
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


# --- Imports ------------------------------------------------------------------------------

IMPORT_HEADER = "slug,name,kind,summary,status,publish_at\n"


def test_an_import_that_would_publish_is_refused_row_by_row(writer_client):
    make_institution("重庆五一技师学院", slug="wuyi", status=Status.DRAFT)
    make_institution("重庆艺术学校", slug="yishu")  # published
    text = IMPORT_HEADER + (
        "wuyi,重庆五一技师学院,technician,新摘要,published,\n"  # would publish
        ",重庆青年职业学院,technician,,published,\n"  # a new record, published
        "yishu,重庆艺术学校,technician,,draft,\n"  # would withdraw
        f"yishu,重庆艺术学校,technician,,published,{LATER:%Y-%m-%d %H:%M:%S}\n"  # hide till then
        ",重庆新建学院,technician,,draft,\n"  # fine
    )
    preview = upload(writer_client, "institution", csv_file(text))
    assert preview.status_code == 200
    invalid = {row.number: row.error.error_dict for row in preview.context["result"].invalid_rows}
    assert set(invalid) == {1, 2, 3, 4}
    assert [e.code for e in invalid[1]["状态"]] == ["may_not_publish"]
    assert [e.code for e in invalid[2]["状态"]] == ["may_not_publish"]
    assert [e.code for e in invalid[3]["状态"]] == ["may_not_unpublish"]
    assert [e.code for e in invalid[4]["发布时间"]] == ["may_not_move"]
    assert "confirm_form" not in preview.context  # nothing can be confirmed
    assert Institution.objects.count() == 2
    assert not Institution.objects.filter(slug="wuyi", status=Status.PUBLISHED).exists()


def test_an_import_that_leaves_publication_alone_goes_through(writer_client):
    make_institution("重庆五一技师学院", slug="wuyi", status=Status.DRAFT)
    make_institution("重庆艺术学校", slug="yishu")  # published, as the exported file says
    text = IMPORT_HEADER + (
        "wuyi,重庆五一技师学院,technician,新摘要,draft,\n"
        "yishu,重庆艺术学校,technician,新摘要,published,\n"
        ",重庆青年职业学院,technician,新摘要,,\n"  # no status: a draft
    )
    preview = upload(writer_client, "institution", csv_file(text))
    assert not preview.context["result"].has_validation_errors()
    assert confirm(writer_client, "institution", preview).status_code == 302
    assert dict(Institution.objects.values_list("name", "status")) == {
        "重庆五一技师学院": Status.DRAFT,
        "重庆艺术学校": Status.PUBLISHED,
        "重庆青年职业学院": Status.DRAFT,
    }
    assert set(Institution.objects.values_list("summary", flat=True)) == {"新摘要"}


def test_an_editor_imports_published_records(editor_client):
    text = IMPORT_HEADER + f",重庆青年职业学院,technician,,published,{LATER:%Y-%m-%d %H:%M:%S}\n"
    preview = upload(editor_client, "institution", csv_file(text))
    assert not preview.context["result"].has_validation_errors()
    confirm(editor_client, "institution", preview)
    institution = Institution.objects.get()
    assert (institution.status, institution.publish_at) == (Status.PUBLISHED, LATER)


# --- Restoring from the history -----------------------------------------------------------


def edit(client, obj, **fields):
    url, page = change_page(client, obj)
    response = client.post(url, admin_form_data(page) | fields)
    assert response.status_code == 302, form_errors(response)
    obj.refresh_from_db()


def test_restoring_a_published_version_leaves_a_draft_a_draft(editor_client, writer_client):
    honour = make_honour("世赛中国集训基地")  # published
    edit(editor_client, honour, description="第一版")
    edit(editor_client, honour, description="第二版", status="draft")
    honour.refresh_from_db()
    assert honour.status == Status.DRAFT
    first = Version.objects.get_for_object(honour).get(serialized_data__contains="第一版")

    url = reverse("admin:directory_honour_revision", args=[honour.pk, first.pk])
    page = writer_client.get(url)
    assert page.status_code == 200
    assert any(m.level_tag == "warning" for m in page.context["messages"])
    response = writer_client.post(url, admin_form_data(page))
    assert response.status_code == 302, form_errors(response)
    honour.refresh_from_db()
    assert (honour.status, honour.description) == (Status.DRAFT, "第一版")


def test_restoring_a_draft_version_leaves_a_published_record_published(
    editor_client, writer_client
):
    honour = Honour.objects.create(name="世赛中国集训基地", status=Status.DRAFT)
    edit(editor_client, honour, description="草稿")
    edit(editor_client, honour, description="发布的", status="published")
    first = Version.objects.get_for_object(honour).get(serialized_data__contains="草稿")

    url = reverse("admin:directory_honour_revision", args=[honour.pk, first.pk])
    response = writer_client.post(url, admin_form_data(writer_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    honour.refresh_from_db()
    assert honour.status == Status.PUBLISHED


def test_a_recovered_published_record_comes_back_as_a_draft(editor_client, writer_client):
    honour = make_honour("世赛中国集训基地")
    edit(editor_client, honour, description="有历史")
    editor_client.post(reverse("admin:directory_honour_delete", args=[honour.pk]), {"post": "yes"})
    version = Version.objects.get_deleted(Honour).get()

    url = reverse("admin:directory_honour_recover", args=[version.pk])
    response = writer_client.post(url, admin_form_data(writer_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    recovered = Honour.objects.get()
    assert (recovered.status, recovered.description) == (Status.DRAFT, "有历史")


def test_an_editor_restores_the_publication_too(editor_client):
    honour = make_honour("世赛中国集训基地")
    edit(editor_client, honour, description="第一版")
    edit(editor_client, honour, description="第二版", status="draft")
    first = Version.objects.get_for_object(honour).get(serialized_data__contains="第一版")
    url = reverse("admin:directory_honour_revision", args=[honour.pk, first.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    honour.refresh_from_db()
    assert honour.status == Status.PUBLISHED


def test_who_may_only_view_sees_the_old_version_as_it_was(editor_client, reviewer_client):
    honour = make_honour("世赛中国集训基地")
    edit(editor_client, honour, description="第一版")
    edit(editor_client, honour, description="第二版", status="draft")
    first = Version.objects.get_for_object(honour).get(serialized_data__contains="第一版")
    url = reverse("admin:directory_honour_revision", args=[honour.pk, first.pk])
    page = reviewer_client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form.instance.status == Status.PUBLISHED
    assert not any(m.level_tag == "warning" for m in page.context["messages"])
    honour.refresh_from_db()
    assert honour.status == Status.DRAFT


def test_restoring_one_record_of_an_import_keeps_the_publication_of_the_others(
    editor_client, writer_client
):
    text = (
        "slug,name,kind,status\n"
        "wuyi,重庆五一技师学院,technician,published\n"
        "art,重庆艺术学校,secondary,published\n"
    )
    confirm(editor_client, "institution", upload(editor_client, "institution", csv_file(text)))
    wuyi, art = Institution.objects.get(slug="wuyi"), Institution.objects.get(slug="art")
    imported = Version.objects.get_for_object(wuyi).get()
    edit(editor_client, art, status="draft")  # withdrawn since

    url = reverse("admin:directory_institution_revision", args=[wuyi.pk, imported.pk])
    page = writer_client.get(url)
    assert not any(m.level_tag == "warning" for m in page.context["messages"])
    response = writer_client.post(url, admin_form_data(page))
    assert response.status_code == 302, form_errors(response)
    art.refresh_from_db()
    assert art.status == Status.DRAFT
    assert Version.objects.get_for_object(art).count() == 2  # the import and the withdrawal
