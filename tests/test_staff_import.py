"""Bulk import (CSV, Excel) with a preview, all rows or none; export."""

import csv
import io
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from import_export.tmp_storages import CacheStorage
from openpyxl import Workbook, load_workbook
from reversion.models import Version

from directory.admin.resources import EnterpriseResource, InstitutionResource
from directory.models import Enterprise, Institution, Partnership
from tests.factories import make_cluster, make_enterprise, make_honour, make_institution, make_park
from tests.staff_factories import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    fast_hashing,
    reviewer,
    reviewer_client,
)
from tests.test_faults import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db

CSV = 0  # position of the format in the admin's import formats
XLSX = 1

INSTITUTIONS_CSV = (
    "slug,name,name_en,kind,ownership,founded_year,summary,honours,status\n"
    ",重庆青年职业学院,Chongqing Youth Vocational College,Higher vocational college,public,"
    "2008,新的一所,,published\n"
    "wuyi,重庆五一技师学院,,technician,unstated,,更新后的摘要,世赛中国集训基地,published\n"
)


def csv_file(text, name="institutions.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="enterprises.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, model, file, fmt=CSV):
    return client.post(
        reverse(f"admin:directory_{model}_import"), {"import_file": file, "format": fmt}
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:directory_{model}_process_import"), data)


@pytest.fixture
def wuyi():
    make_honour("世赛中国集训基地")
    return make_institution("重庆五一技师学院", slug="wuyi", kind="technician", summary="旧摘要")


def test_preview_shows_what_will_change_and_writes_nothing(editor_client, wuyi):
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert preview.context["confirm_form"] is not None
    assert "重庆青年职业学院" in preview.text and "更新后的" in preview.text  # the diff
    # Only a preview: nothing written yet.
    assert Institution.objects.count() == 1
    assert Institution.objects.get().summary == "旧摘要"


def test_confirmed_import_writes_every_row_with_history(editor_client, editor, wuyi):
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    response = confirm(editor_client, "institution", preview)
    assert response.status_code == 302
    assert Institution.objects.count() == 2
    youth = Institution.objects.get(name="重庆青年职业学院")
    assert youth.slug == "chongqingqingnianzhiyexueyuan"  # made from the pinyin
    assert (youth.kind, youth.ownership, youth.founded_year) == (
        "higher_vocational",
        "public",
        2008,
    )
    wuyi.refresh_from_db()
    assert wuyi.summary == "更新后的摘要"
    assert list(wuyi.honours.values_list("name", flat=True)) == ["世赛中国集训基地"]
    version = Version.objects.get_for_object(wuyi).get()
    assert version.revision.user == editor
    assert "institutions.csv" in version.revision.get_comment()


def test_a_bad_row_is_reported_and_nothing_is_written(editor_client, wuyi):
    text = INSTITUTIONS_CSV + (
        ",重庆不存在的学院,,university,public,,,,published\n"  # unknown kind
        ",,,technician,public,,,,published\n"  # no name
        ",重庆另一所学院,,technician,public,,,没有这个荣誉,published\n"  # unknown honour
    )
    preview = upload(editor_client, "institution", csv_file(text))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.has_validation_errors()
    invalid = {row.number: row for row in result.invalid_rows}
    assert set(invalid) == {3, 4, 5}
    assert "类型" in invalid[3].field_specific_errors  # errors name the columns' labels
    assert "名称" in invalid[4].field_specific_errors
    assert "荣誉与平台" in invalid[5].field_specific_errors
    assert "university" in preview.text and "没有这个荣誉" in preview.text
    assert preview.context.get("confirm_form") is None  # cannot be confirmed
    assert Institution.objects.count() == 1
    assert Institution.objects.get().summary == "旧摘要"


def test_confirming_a_bad_file_anyway_writes_nothing(editor_client, wuyi, tmp_path):
    # A good file is previewed, then a bad one is put in its place before confirming.
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    form = preview.context["confirm_form"]
    storage = CacheStorage(name=form["import_file_name"].value())
    storage.save(INSTITUTIONS_CSV + ",重庆坏数据学院,,university,public,,,,published\n")
    response = confirm(editor_client, "institution", preview)
    assert response.status_code == 302
    assert Institution.objects.count() == 1
    assert Institution.objects.get().summary == "旧摘要"
    assert not Version.objects.exists()
    follow = editor_client.get(response["Location"])
    assert follow.status_code == 200
    assert any(m.level_tag == "error" for m in follow.context["messages"])


def error_messages(client, response):
    assert response.status_code == 302
    follow = client.get(response["Location"])
    return [str(m) for m in follow.context["messages"] if m.level_tag == "error"]


def test_an_upload_while_the_cache_is_down_is_not_blamed_on_the_file(editor_client, wuyi):
    with override_settings(CACHES=UNREACHABLE_REDIS):  # where the preview waits
        response = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    # Was the upload form again, saying "读取文件时出现'TypeError'错误。请确认所选的文件格式正确。"
    [message] = error_messages(editor_client, response)
    assert "TypeError" not in message and "格式" not in message and "format" not in message
    assert Institution.objects.get().summary == "旧摘要"


def test_a_confirmation_while_the_cache_is_down_can_be_made_again_later(editor_client, wuyi):
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = confirm(editor_client, "institution", preview)  # was a 500
    [message] = error_messages(editor_client, response)
    assert "TypeError" not in message
    assert Institution.objects.get().summary == "旧摘要"
    # The preview waited: once the cache answers again, the same confirmation imports.
    assert confirm(editor_client, "institution", preview).status_code == 302
    assert Institution.objects.get(slug="wuyi").summary == "更新后的摘要"


@pytest.mark.parametrize(
    "tamper",
    [
        {"import_file_name": "victim.txt"},  # a file of the temp folder
        {"import_file_name": "0" * 32},  # no such preview
        {"format": "7"},
        {"format": "x"},
        {"resource": "5"},
    ],
)
def test_a_tampered_or_stale_confirmation_imports_nothing_and_touches_no_file(
    editor_client, wuyi, tmp_path, monkeypatch, tamper
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    victim = tmp_path / "victim.txt"
    victim.write_text("name,kind\n被导入的学院,technician\n", encoding="utf-8")
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields} | tamper
    response = editor_client.post(reverse("admin:directory_institution_process_import"), data)
    assert response.status_code == 302
    assert victim.exists()
    assert Institution.objects.count() == 1
    follow = editor_client.get(response["Location"])
    assert any(m.level_tag == "warning" for m in follow.context["messages"])


def test_confirming_twice_imports_once(editor_client, wuyi):
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    assert confirm(editor_client, "institution", preview).status_code == 302
    again = confirm(editor_client, "institution", preview)
    assert again.status_code == 302
    assert Institution.objects.count() == 2


def test_excel_import_of_enterprises_with_their_park_and_cluster(editor_client):
    park = make_park("云计算产业园")
    make_cluster("医疗大数据企业集群", slug="yiliao")
    rows = [
        ["slug", "name", "relation", "park", "cluster", "is_fortune_global_500", "status"],
        ["", "中迪医疗", "settled", "云计算产业园", "yiliao", 0, "published"],
        ["", "华为", "partner", "", "", 1, "draft"],
    ]
    preview = upload(editor_client, "enterprise", xlsx_file(rows), fmt=XLSX)
    assert not preview.context["result"].has_validation_errors()
    confirm(editor_client, "enterprise", preview)
    zhongdi = Enterprise.objects.get(name="中迪医疗")
    assert zhongdi.park == park and zhongdi.cluster.slug == "yiliao"
    assert Enterprise.objects.get(name="华为").is_fortune_global_500


def test_partnership_import_refuses_one_without_either_side(editor_client):
    institution = make_institution("重庆工商大学融智学院", slug="rongzhi")
    make_enterprise("科大讯飞", slug="iflytek")
    text = (
        "slug,name,kind,institution,enterprise,status\n"
        ",融智讯飞人工智能学院,joint_college,rongzhi,iflytek,published\n"
        ",没有双方的合作,order_class,,,published\n"
        ",找不到企业的合作,order_class,rongzhi,不存在的企业,published\n"
    )
    preview = upload(editor_client, "partnership", csv_file(text, "partnerships.csv"))
    result = preview.context["result"]
    assert {row.number for row in result.invalid_rows} == {2, 3}
    assert Partnership.objects.count() == 0
    assert institution.partnerships.count() == 0


def test_a_csv_saved_by_chinese_excel_in_gbk_imports(editor_client, wuyi):
    gbk = SimpleUploadedFile("institutions.csv", INSTITUTIONS_CSV.encode("gbk"))
    preview = upload(editor_client, "institution", gbk)
    assert not preview.context["result"].has_validation_errors()
    confirm(editor_client, "institution", preview)
    assert Institution.objects.filter(name="重庆青年职业学院").exists()
    wuyi.refresh_from_db()
    assert wuyi.summary == "更新后的摘要"


def test_the_same_address_twice_in_one_file_is_a_row_error(editor_client, wuyi):
    text = INSTITUTIONS_CSV + "wuyi,重庆五一技师学院,,technician,unstated,,又一次,,published\n"
    preview = upload(editor_client, "institution", csv_file(text))
    result = preview.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert "2" in str(result.invalid_rows[0].error_dict["网址别名"])  # names the earlier row
    wuyi.refresh_from_db()
    assert wuyi.summary == "旧摘要"


@pytest.mark.parametrize("header", ["Slug", "SLUG", "slug "])
def test_column_names_match_whatever_their_case_and_spaces(editor_client, wuyi, header):
    text = f"{header},Name,kind\nwuyi,重庆五一技师学院,technician\n"
    preview = upload(editor_client, "institution", csv_file(text))
    assert [row.import_type for row in preview.context["result"].rows] != ["new"]
    confirm(editor_client, "institution", preview)
    assert Institution.objects.count() == 1


@pytest.mark.parametrize("year", ["2000年", "abc", "²", "inf", "2000.5"])
def test_a_year_that_is_not_a_whole_number_says_so(editor_client, year):
    text = f"name,kind,founded_year\n重庆新建技师学院,technician,{year}\n"
    preview = upload(editor_client, "institution", csv_file(text))
    rows = preview.context["result"].invalid_rows
    assert [row.number for row in rows] == [1]
    assert "2008" in str(rows[0].error_dict["建校年份"])  # "Enter a whole number, …"
    assert Institution.objects.count() == 0


@pytest.mark.parametrize("model", ["institution", "enterprise", "partnership"])
def test_empty_excel_cells_in_text_columns_import_as_empty_text(editor_client, model):
    """Excel gives an empty cell as None; a text column must store "" (they are NOT NULL)."""
    wuyi = make_institution("重庆五一技师学院", slug="wuyi")
    company = make_enterprise("测试企业", slug="ceshi")
    rows = {
        "institution": [["slug", "name", "kind", "description", "summary", "address"]],
        "enterprise": [["slug", "name", "relation", "description", "summary", "website"]],
        "partnership": [["slug", "name", "kind", "institution", "enterprise", "description"]],
    }[model]
    rows.append(
        {
            "institution": ["", "重庆新建学院", "technician", None, None, None],
            "enterprise": ["", "新建企业", "settled", None, None, None],
            "partnership": ["", "新建订单班", "order_class", "wuyi", "ceshi", None],
        }[model]
    )
    preview = upload(editor_client, model, xlsx_file(rows, name=f"{model}.xlsx"), fmt=XLSX)
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    confirm(editor_client, model, preview)
    created = {"institution": Institution, "enterprise": Enterprise, "partnership": Partnership}[
        model
    ].objects.exclude(slug__in=[wuyi.slug, company.slug])
    assert created.get().description == ""


@pytest.mark.parametrize("name", ["", "　　", "  "])
def test_a_row_without_a_name_is_a_row_error(editor_client, name):
    preview = upload(
        editor_client, "institution", csv_file(f"slug,name,kind\n,{name},technician\n")
    )
    rows = preview.context["result"].invalid_rows
    assert rows and "名称" in rows[0].error_dict
    assert "confirm_form" not in preview.context  # nothing to confirm
    assert not Institution.objects.exists()


@pytest.mark.parametrize("language, label", [("zh-hans", "建校年份"), ("en", "Founded in")])
def test_row_errors_name_the_columns_by_their_labels(editor_client, language, label):
    text = "name,kind,founded_year\n重庆新建技师学院,technician,abc\n"
    prefix = "/en" if language == "en" else ""
    preview = editor_client.post(
        prefix + reverse("admin:directory_institution_import"),
        {"import_file": csv_file(text), "format": CSV},
    )
    [row] = preview.context["result"].invalid_rows
    assert list(row.field_specific_errors) == [label]
    assert f'<span class="validation-error-field-label">{label}</span>' in preview.text
    assert "founded_year" not in preview.text


def test_a_file_without_the_address_column_adds_every_row(editor_client):
    text = "name,kind\n重庆新建技师学院,technician\n"
    preview = upload(editor_client, "institution", csv_file(text))
    assert not preview.context["result"].has_errors()
    confirm(editor_client, "institution", preview)
    assert Institution.objects.get().slug == "chongqingxinjianjishixueyuan"


def test_a_file_error_shows_its_message_not_a_traceback(editor_client, monkeypatch):
    from directory.admin.resources import InstitutionResource

    def broken(self, dataset, **kwargs):
        raise RuntimeError("the file could not be read")

    monkeypatch.setattr(InstitutionResource, "before_import", broken)
    preview = upload(editor_client, "institution", csv_file(INSTITUTIONS_CSV))
    assert "the file could not be read" in preview.text
    assert "Traceback" not in preview.text


def test_a_publication_time_in_year_one_is_a_row_error(editor_client):
    text = "name,kind,publish_at\n重庆新建技师学院,technician,0001-01-01 00:00:00\n"
    preview = upload(editor_client, "institution", csv_file(text))
    rows = preview.context["result"].invalid_rows
    assert [row.number for row in rows] == [1]
    assert "发布时间" in rows[0].error_dict
    assert Institution.objects.count() == 0


def test_other_control_characters_in_cells_are_removed(editor_client):
    text = "name,kind,summary\n重庆\x1b新建技师学院,technician,第一行\x0b第二行\n"
    preview = upload(editor_client, "institution", csv_file(text))
    assert not preview.context["result"].has_validation_errors()
    confirm(editor_client, "institution", preview)
    institution = Institution.objects.get()
    assert (institution.name, institution.summary) == ("重庆新建技师学院", "第一行\n第二行")


@pytest.mark.parametrize("cells", ["wu\x00yi,重庆学院", ",重庆学院\x00"])
def test_a_nul_in_the_address_or_any_cell_is_a_row_error(editor_client, wuyi, cells):
    # The address is looked up before the row is checked: PostgreSQL refuses NUL there.
    preview = upload(
        editor_client, "institution", csv_file(f"slug,name,kind\n{cells},technician\n")
    )
    rows = preview.context["result"].invalid_rows
    assert [row.number for row in rows] == [1]
    assert Institution.objects.count() == 1


def test_a_nul_character_in_a_cell_is_a_row_error(editor_client):
    text = "slug,name,kind\n,重庆\x00学院,technician\n"
    preview = upload(editor_client, "institution", csv_file(text))
    assert [row.number for row in preview.context["result"].invalid_rows] == [1]
    assert Institution.objects.count() == 0


@pytest.mark.parametrize(
    "payload, name",
    [
        (b"\x89PNG\r\n\x1a\nnot a spreadsheet", "institutions.xlsx"),
        ("slug,name\n,\xff\xfe".encode("latin-1"), "institutions.csv"),
        (b"", "institutions.csv"),
        (b"just one line without columns we know\n", "institutions.csv"),
    ],
)
def test_unreadable_files_get_a_form_error_not_a_500(editor_client, payload, name):
    fmt = XLSX if name.endswith("xlsx") else CSV
    response = upload(editor_client, "institution", SimpleUploadedFile(name, payload), fmt=fmt)
    assert response.status_code == 200
    assert Institution.objects.count() == 0


def test_export_to_csv_and_excel(editor_client, wuyi):
    url = reverse("admin:directory_institution_export")
    response = editor_client.post(
        url,
        {
            "format": 0,
            "resource": 0,
            **{f"institutionresource_{f}": "on" for f in ["slug", "name", "kind", "summary"]},
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "wuyi" in text and "重庆五一技师学院" in text and "旧摘要" in text

    response = editor_client.post(
        url,
        {
            "format": 1,
            "resource": 0,
            **{f"institutionresource_{f}": "on" for f in ["slug", "name"]},
        },
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["wuyi", "重庆五一技师学院"]


def test_reviewers_export_but_do_not_import(reviewer_client, wuyi):
    assert reviewer_client.get(reverse("admin:directory_institution_export")).status_code == 200
    response = upload(reviewer_client, "institution", csv_file(INSTITUTIONS_CSV))
    assert response.status_code == 403
    assert Institution.objects.count() == 1


def test_export_page_select_all_works_without_inline_script(editor_client):
    html = editor_client.get(reverse("admin:directory_institution_export")).text
    assert 'src="/static/directory/admin/export.js"' in html  # binds the inline onchange
    assert 'src="/static/import_export/export_selectable_fields.js"' in html


# --- Column headers: the fields' labels, in the editor's language ---------------------------

INSTITUTION_FIELDS = InstitutionResource._meta.fields


def labels(model, fields, language="zh-hans"):
    with translation.override(language):
        return [str(capfirst(model._meta.get_field(f).verbose_name)) for f in fields]


def export(client, model, fields, fmt=CSV, prefix=""):
    response = client.post(
        prefix + reverse(f"admin:directory_{model}_export"),
        {"format": fmt, "resource": 0, **{f"{model}resource_{f}": "on" for f in fields}},
    )
    assert response.status_code == 200
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_exported_columns_are_headed_by_the_chinese_labels(editor_client, wuyi):
    header = csv_rows(export(editor_client, "institution", INSTITUTION_FIELDS))[0]
    assert header == labels(Institution, INSTITUTION_FIELDS)
    assert header[1] == "名称" and "slug" not in header
    page = editor_client.get(reverse("admin:directory_institution_export")).text
    assert "英文名称" in page and "Name En" not in page  # the columns to choose


def test_the_english_admin_exports_english_labels(editor_client, wuyi):
    response = export(editor_client, "institution", ["slug", "name", "name_en"], prefix="/en")
    assert csv_rows(response)[0] == ["Slug", "Name", "English name"]


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_an_exported_file_imports_unchanged_and_edited(editor_client, fmt):
    park, cluster = make_park("云计算产业园"), make_cluster("医疗大数据企业集群")
    make_enterprise("中迪医疗", park=park, cluster=cluster, summary="旧摘要")
    fields = EnterpriseResource._meta.fields
    exported = export(editor_client, "enterprise", fields, fmt=fmt).content
    name = "enterprises.xlsx" if fmt == XLSX else "enterprises.csv"

    preview = upload(editor_client, "enterprise", SimpleUploadedFile(name, exported), fmt=fmt)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]  # nothing to change

    if fmt == XLSX:
        book = load_workbook(io.BytesIO(exported))
        sheet = book.active
        sheet.cell(2, fields.index("summary") + 1).value = "新的摘要"
        buffer = io.BytesIO()
        book.save(buffer)
        edited = buffer.getvalue()
    else:
        edited = exported.decode("utf-8-sig").replace("旧摘要", "新的摘要").encode("utf-8")
    preview = upload(editor_client, "enterprise", SimpleUploadedFile(name, edited), fmt=fmt)
    assert [row.import_type for row in preview.context["result"].rows] == ["update"]
    confirm(editor_client, "enterprise", preview)
    company = Enterprise.objects.get()
    assert (company.summary, company.park, company.cluster) == ("新的摘要", park, cluster)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_columns_headed_by_labels_in_either_language_import(editor_client, wuyi, language):
    fields = ["slug", "name", "name_en", "kind", "summary"]  # name_en: "English name"
    header = ",".join(label.upper() + " " for label in labels(Institution, fields, language))
    rows = (
        "wuyi,重庆五一技师学院,Wuyi,technician,按标签导入的摘要\n,重庆新建技师学院,,technician,\n"
    )
    text = f"{header}\n{rows}"
    preview = upload(editor_client, "institution", csv_file(text))
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    confirm(editor_client, "institution", preview)
    wuyi.refresh_from_db()
    assert (wuyi.summary, wuyi.name_en) == ("按标签导入的摘要", "Wuyi")
    assert Institution.objects.get(name="重庆新建技师学院").kind == "technician"


# --- Choices: written as their labels, in the editor's language ------------------------------


def test_choices_are_exported_as_their_labels_and_import_back_in_either_admin(editor_client, wuyi):
    fields = ["slug", "name", "kind", "ownership", "status"]
    url = reverse("admin:directory_institution_import")  # before /en/ makes English active
    chinese = export(editor_client, "institution", fields)
    assert csv_rows(chinese)[1] == ["wuyi", "重庆五一技师学院", "技师学院", "未注明", "已发布"]
    english = export(editor_client, "institution", fields, prefix="/en")
    assert csv_rows(english)[1][2:] == ["Technician college", "Not stated", "Published"]

    for exported, prefix in [(chinese, "/en"), (english, "")]:  # read by the other admin
        preview = editor_client.post(
            prefix + url,
            {"import_file": csv_file(exported.content.decode("utf-8-sig")), "format": CSV},
        )
        result = preview.context["result"]
        assert not result.has_errors() and not result.has_validation_errors()
        assert [row.import_type for row in result.rows] == ["skip"]  # nothing to change


def test_an_unknown_choice_is_answered_with_the_labels_to_write(editor_client):
    preview = upload(editor_client, "institution", csv_file("name,kind\n重庆新建学院,university\n"))
    [row] = preview.context["result"].invalid_rows
    [message] = row.error_dict["类型"]
    assert "“university”" in message
    assert "技师学院" in message and "高职院校" in message and "technician" not in message


def test_the_import_page_lists_the_columns_by_their_labels(editor_client):
    page = editor_client.get(reverse("admin:directory_institution_import")).text
    assert ", ".join(labels(Institution, INSTITUTION_FIELDS)) in page
