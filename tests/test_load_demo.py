import io
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from directory.models import (
    Article,
    Cluster,
    Enterprise,
    Figure,
    Institution,
    Park,
    Partnership,
    Photo,
)
from tests.factories import make_institution

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
