import io
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from reversion.models import Version

from directory.models import (
    Article,
    Cluster,
    DemoLoad,
    Enterprise,
    Figure,
    Honour,
    Institution,
    Park,
    Partnership,
    Photo,
    Status,
)
from tests.factories import make_institution
from tests.staff_factories import (  # noqa: F401  (fixtures)
    admin_form_data,
    editor,
    editor_client,
    fast_hashing,
)

pytestmark = pytest.mark.django_db

NINE = [
    "重庆五一技师学院",
    "重庆大学城市科技学院",
    "重庆工商大学融智学院",
    "重庆青年职业学院",
    "重庆教育管理学校",
    "重庆文化艺术职业学院",
    "重庆艺术学校",
    "华为ICT学院",
    "巴南职教中心",
]
MODELS = [Institution, Park, Cluster, Enterprise, Partnership, Figure, Article, Photo]


def load(**kwargs):
    out = StringIO()
    call_command("load_demo", stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_holds_the_article():
    output = load()
    assert sorted(Institution.objects.values_list("name", flat=True)) == sorted(NINE)
    parks = set(Park.objects.values_list("name", flat=True))
    assert {"云计算产业园", "西部人才产业园", "云教育产业园", "长江剧院"} <= parks
    assert Park.objects.get(name="西部人才产业园").is_functional_project
    assert Park.objects.get(name="西部人才产业园").is_industrial_park
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert {"中迪医疗", "科大讯飞", "甲骨文", "阿里巴巴", "华为", "京东", "芸中鹰无人机"} <= names
    assert set(
        Enterprise.objects.filter(is_fortune_global_500=True).values_list("name", flat=True)
    ) == {"阿里巴巴", "华为"}
    assert Partnership.objects.filter(name="融智讯飞人工智能学院").exists()
    article = Article.objects.get()
    assert article.name == "重庆高职城瞄准大数据智能化前沿"
    assert article.year == 2020 and article.date is None
    assert article.byline == "王彩艳 肖亚平"
    assert article.photos.count() == 5
    assert "password:" in output


def test_every_article_number_is_a_figure():
    load()
    from directory.formatting import format_chinese

    written = {
        format_chinese(f.value, f.unit, f.qualifier, f.value_max, f.group_digits)
        for f in Figure.objects.all()
    }
    for expected in [
        "约300亿元",
        "6000余亩",
        "5万余名",
        "97%以上",
        "约6.8亿元",
        "约7000万元",
        "800余项",
        "超1100万人",
        "近20亿元",
        "1000万户",
        "15亿户",
        "不低于8万平方米",
    ]:
        assert expected in written, expected
    assert Figure.objects.filter(figure_status="target", horizon__contains="2030").exists()


def test_text_is_cleaned():
    load()
    article = Article.objects.get()
    body = "".join(article.sections.values_list("body", flat=True))
    assert "未来，巴南区将以高职城为核心依托" in body
    assert "未来未来" not in body and "，，" not in body
    assert "\n\n" not in body.replace("</p>\n<p>", "")


def test_placeholders_are_generated_and_labelled(settings):
    load()
    for photo in Photo.objects.all():
        assert photo.is_placeholder
        path = settings.MEDIA_ROOT / photo.image.name
        with Image.open(path) as image:
            assert image.size == (1200, 800)
        assert photo.width == 1200


def test_second_run_is_identical_and_keeps_other_objects():
    load()
    own = make_institution("编辑新增的学院")
    before = counts()
    load()
    assert counts() == before
    assert Institution.objects.filter(pk=own.pk, name="编辑新增的学院").exists()


def test_broken_fixture_changes_nothing(tmp_path):
    load()
    before = counts()
    Institution.objects.filter(name="重庆艺术学校").update(summary="编辑过的摘要")
    broken = tmp_path / "fixtures"
    shutil.copytree("fixtures", broken)
    target = broken / "02_institutions.json"
    records = json.loads(target.read_text(encoding="utf-8"))
    last = [r for r in records if r["model"] == "directory.institution"][-1]
    last["fields"]["kind"] = None  # kind is required: the database refuses the row
    target.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        load(fixtures=broken, no_user=True)
    assert "02_institutions.json" in str(excinfo.value)
    assert counts() == before
    assert Institution.objects.get(name="重庆艺术学校").summary == "编辑过的摘要"


def test_demo_password_from_environment(monkeypatch):
    from django.contrib.auth import authenticate

    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-chosen-demo-pass")
    output = load()
    assert "a-chosen-demo-pass" in output
    assert authenticate(username="demo-editor", password="a-chosen-demo-pass") is not None


@pytest.mark.parametrize(
    "command, options", [("load_demo", {"no_user": True}), ("generate_bulk_data", {"scale": 1})]
)
def test_bulk_loads_refresh_the_planner_statistics(command, options):
    """Freshly filled tables get statistics at once, not whenever autovacuum comes by."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call_command(command, stdout=StringIO(), **options)
    assert any(query["sql"].strip().upper() == "ANALYZE" for query in queries.captured_queries)


def test_a_long_placeholder_title_is_set_smaller_inside_the_frame():
    from directory.placeholders import GREEN, render_placeholder

    with Image.open(
        io.BytesIO(render_placeholder("中迪医疗公司医疗大数据展示平台" * 2, "", "k"))
    ) as image:
        title_band = image.crop((0, 200, 1200, 360)).convert("RGB")
        green = [
            x for x in range(1200) for y in range(0, 160, 4) if title_band.getpixel((x, y)) == GREEN
        ]
    assert green, "the title is drawn"
    assert min(green) >= 100 and max(green) <= 1100  # clear of the frame at 40 and 1160


# --- Running it again never undoes the editors' work ---------------------------------------

ART_SCHOOL = "chongqingyishuxuexiao"  # 重庆艺术学校
MANAGEMENT_SCHOOL = "chongqingjiaoyuguanlixuexiao"  # 重庆教育管理学校
EMPLOYMENT_RATE = "gaozhibiyeshengjiuyelv"  # figure: 97%以上
ALIBABA = "alibaba"


def in_site_language(message):
    """A history comment as load_demo stores it: in the site's language, zh-hans."""
    with translation.override("zh-hans"):
        return gettext(message)


def edit_in_admin(client, obj, **fields):
    url = reverse(f"admin:directory_{obj._meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client.get(url))
    data.update(fields)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def editors_work(client):
    """What the city's editors do to demo records: rewrite, withdraw, delete."""
    edit_in_admin(client, Institution.objects.get(slug=ART_SCHOOL), summary="编辑改写的简介")
    response = client.post(
        reverse("admin:directory_enterprise_changelist"),
        {"action": "unpublish", "_selected_action": [Enterprise.objects.get(slug=ALIBABA).pk]},
    )
    assert response.status_code == 302
    Figure.objects.get(slug=EMPLOYMENT_RATE).delete()


def assert_editors_work_kept():
    assert Institution.objects.get(slug=ART_SCHOOL).summary == "编辑改写的简介"
    assert Enterprise.objects.get(slug=ALIBABA).status == Status.DRAFT
    assert not Figure.objects.filter(slug=EMPLOYMENT_RATE).exists()


def fixtures_copy(tmp_path, change):
    """The demo fixtures as a newer version of the code might ship them: change(records)."""
    folder = tmp_path / "fixtures"
    shutil.copytree("fixtures", folder)
    for path in sorted(folder.glob("*.json")):
        records = json.loads(path.read_text(encoding="utf-8"))
        change(path.name, records)
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return folder


def fields_of(records, slug):
    return next(r["fields"] for r in records if r["fields"].get("slug") == slug)


def test_running_again_keeps_what_editors_changed_withdrew_or_deleted(client, editor_client):
    load(no_user=True)
    editors_work(editor_client)
    output = load()
    assert_editors_work_kept()
    assert "no content changed" in output
    assert "password:" in output  # the demo login is still made and printed
    page = client.get(reverse("directory:institution_detail", args=[ART_SCHOOL]))
    assert "编辑改写的简介" in page.text
    assert client.get(reverse("directory:enterprise_detail", args=[ALIBABA])).status_code == 404


def test_new_fixtures_add_records_and_update_only_those_nobody_changed(tmp_path, editor_client):
    load(no_user=True)
    editors_work(editor_client)

    def newer(name, records):
        if name == "02_institutions.json":
            fields_of(records, ART_SCHOOL)["summary"] = "新版演示数据的简介"
            fields_of(records, MANAGEMENT_SCHOOL)["summary"] = "新版演示数据的简介"
        if name == "07_figures.json":
            fields_of(records, EMPLOYMENT_RATE)["value"] = "98"
            added = json.loads(json.dumps(records[0]))
            added["fields"].update(slug="xinzengshuju", name="新版新增的数据")
            records.append(added)

    output = load(fixtures=fixtures_copy(tmp_path, newer), no_user=True)
    assert_editors_work_kept()  # changed, withdrawn, deleted: all as the editors left them
    assert Institution.objects.get(slug=MANAGEMENT_SCHOOL).summary == "新版演示数据的简介"
    assert Figure.objects.get(slug="xinzengshuju").name == "新版新增的数据"
    assert ART_SCHOOL in output and EMPLOYMENT_RATE in output  # listed as left alone
    assert "added: 1, updated: 1" in output
    updated = Institution.objects.get(slug=MANAGEMENT_SCHOOL)
    assert Version.objects.get_for_object(updated).first().revision.get_comment() == (
        in_site_language("Demo data loaded.")
    )

    before = counts()
    output = load(fixtures=tmp_path / "fixtures", no_user=True)  # idempotent
    assert "no content changed" in output
    assert counts() == before


def test_a_new_record_that_refers_to_a_deleted_one_is_left_out(tmp_path):
    load(no_user=True)
    honour = Honour.objects.get(slug="shisaizhongguojixunjidi")
    honour.delete()

    def newer(name, records):
        if name == "04_enterprises.json":
            added = json.loads(json.dumps(fields_of(records, ALIBABA)))
            added.update(slug="xinqiye", name="新版新增的企业", honours=[[honour.slug]])
            records.append({"model": "directory.enterprise", "fields": added})

    output = load(fixtures=fixtures_copy(tmp_path, newer), no_user=True)
    assert not Enterprise.objects.filter(slug="xinqiye").exists()
    assert not Honour.objects.filter(slug=honour.slug).exists()
    assert "xinqiye" in output


def test_reset_restores_the_demo_and_the_history_keeps_the_editors_version(editor_client):
    load(no_user=True)
    editors_work(editor_client)
    output = load(reset=True, no_user=True)
    art_school = Institution.objects.get(slug=ART_SCHOOL)
    assert art_school.summary != "编辑改写的简介"
    assert Enterprise.objects.get(slug=ALIBABA).status == Status.PUBLISHED
    assert Figure.objects.filter(slug=EMPLOYMENT_RATE).exists()
    assert "Loaded" in output
    versions = Version.objects.get_for_object(art_school)
    assert versions[0].revision.get_comment() == in_site_language(
        "Demo data restored from the fixtures (load_demo --reset)."
    )
    assert "编辑改写的简介" in [v.field_dict["summary"] for v in versions]  # restorable


def test_a_demo_loaded_before_loads_were_recorded_counts_as_the_editors(editor_client):
    load(no_user=True)
    DemoLoad.objects.all().delete()  # as the load_demo of earlier versions left a database
    editors_work(editor_client)
    output = load(no_user=True)
    assert_editors_work_kept()
    assert "added: 0, updated: 0" in output
    assert "no content changed" in load(no_user=True)


def test_the_history_says_in_the_site_language_that_the_demo_was_loaded(monkeypatch, editor_client):
    # The catalogue may not hold the message yet: give zh-hans a translation of its own.
    from django.utils.translation import trans_real

    catalog = trans_real.translation("zh-hans")._catalog
    monkeypatch.setitem(catalog._catalogs[0], "Demo data loaded.", "已载入演示数据。")
    with translation.override("en"):  # whatever language is active when the command runs
        load(no_user=True)
    art_school = Institution.objects.get(slug=ART_SCHOOL)
    assert Version.objects.get_for_object(art_school).get().revision.comment == "已载入演示数据。"
    history = editor_client.get(
        reverse("admin:directory_institution_history", args=[art_school.pk])
    )
    assert "已载入演示数据。" in history.text
