from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from directory import pinyin
from directory.formatting import format_chinese, format_english, format_figure
from directory.models import Institution, Partnership, Status
from tests.factories import make_figure, make_institution

pytestmark = pytest.mark.django_db


class TestPinyin:
    def test_chongqing_reads_chong(self):
        assert pinyin.to_pinyin("重庆") == "chongqing"
        assert pinyin.to_slug("重庆五一技师学院") == "chongqingwuyijishixueyuan"

    def test_mixed_scripts_keep_ascii_words(self):
        assert pinyin.to_slug("华为ICT学院") == "huawei-ict-xueyuan"
        assert pinyin.to_initials("华为ICT学院") == "HWICTXY"

    def test_full_width_text_is_normalised(self):
        assert pinyin.to_slug("中国（重庆）职业技能公共实训中心").startswith("zhongguo-chongqing-")

    def test_index_letter(self):
        assert pinyin.initial_letter("重庆") == "C"
        assert pinyin.initial_letter("5G网络") == "#"


class TestPublishable:
    def test_save_derives_keys_and_slug(self):
        obj = make_institution("重庆五一技师学院", aliases="五一技校")
        assert obj.slug == "chongqingwuyijishixueyuan"
        assert obj.pinyin == "chongqingwuyijishixueyuan"
        assert obj.initials == "CQWYJSXY"
        assert obj.initial == "C"
        assert "wuyijixiao" in obj.search_text

    def test_staff_slug_is_kept(self):
        obj = make_institution("重庆五一技师学院", slug="wuyi")
        obj.name = "重庆五一高级技师学院"
        obj.save()
        assert Institution.objects.get(pk=obj.pk).slug == "wuyi"

    def test_generated_slugs_do_not_clash(self):
        first = make_institution("重庆测试学院")
        second = make_institution("重庆测试学院")
        assert first.slug == "chongqingceshixueyuan"
        assert second.slug == "chongqingceshixueyuan-2"

    def test_explicit_duplicate_slug_is_refused(self):
        make_institution("甲学院", slug="same")
        with pytest.raises(IntegrityError):
            make_institution("乙学院", slug="same")

    @pytest.mark.parametrize("query", ["五一", "wuyi", "WYJS", "wu yi", "ｗｕｙｉ", "五一技校"])
    def test_search_matches_chinese_pinyin_and_initials(self, query):
        target = make_institution("重庆五一技师学院", aliases="五一技校")
        make_institution("重庆文化艺术职业学院")
        assert list(Institution.objects.search(query)) == [target]

    def test_published_hides_drafts_and_scheduled(self):
        live = make_institution("甲")
        make_institution("乙", status=Status.DRAFT)
        make_institution("丙", publish_at=timezone.now() + timedelta(days=1))
        past = make_institution("丁", publish_at=timezone.now() - timedelta(days=1))
        assert set(Institution.objects.published()) == {live, past}

    def test_str_and_url(self):
        obj = make_institution("重庆五一技师学院")
        assert str(obj) == "重庆五一技师学院"
        assert obj.get_absolute_url() == "/institutions/chongqingwuyijishixueyuan/"

    def test_partnership_needs_a_side(self):
        with pytest.raises(IntegrityError):
            Partnership.objects.create(name="无主合作", kind="cooperation")


class TestFigures:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            ((50000, "名", "plus"), "5万余名"),
            ((Decimal("3e10"), "元", "about"), "约300亿元"),
            ((Decimal("6.8e8"), "元", "about"), "约6.8亿元"),
            ((97, "%", "and_above"), "97%以上"),
            ((6000, "亩", "plus"), "6000余亩"),
            ((8, "年", "plus_duo"), "8年多"),
            ((Decimal("1.1e7"), "人", "over"), "超1100万人"),
            ((Decimal("2e9"), "元", "nearly"), "近20亿元"),
            ((80000, "平方米", "at_least"), "不低于8万平方米"),
            ((Decimal("7e7"), "元", "about"), "约7000万元"),
        ],
    )
    def test_chinese_forms(self, args, expected):
        assert format_chinese(*args) == expected

    def test_range_and_ungrouped(self):
        assert format_chinese(1, "家", "", 2) == "1家至2家"
        assert format_chinese(30000, "例/月", "more_than", group=False) == "超过30000例/月"

    def test_english(self):
        assert format_english(50000, "graduates", "plus") == "more than 50,000 graduates"
        assert format_english(Decimal("3e10"), "yuan", "about") == "about 30 billion yuan"
        assert format_english(Decimal("6.8e8"), "yuan", "about") == "about 680 million yuan"
        assert format_english(97, "%", "and_above") == "97% or more"

    def test_english_keeps_digits_where_words_would_be_long(self):
        assert format_english(123456789, "yuan") == "123,456,789 yuan"
        assert format_english(Decimal("1.25e9"), "yuan") == "1.25 billion yuan"
        assert format_english(Decimal("1234567.5"), "yuan") == "1,234,567.5 yuan"

    def test_format_figure_follows_language(self):
        figure = make_figure(value=Decimal("50000"), unit="名", unit_en="graduates")
        assert format_figure(figure, "zh-hans") == "5万余名"
        assert format_figure(figure, "en") == "more than 50,000 graduates"

    def test_clean_requires_the_subject(self):
        figure = make_figure(scope="city")
        figure.scope = "institution"
        with pytest.raises(ValidationError) as excinfo:
            figure.clean()
        assert "institution" in excinfo.value.message_dict

    def test_clean_refuses_inverted_range(self):
        figure = make_figure(value=Decimal(5), value_max=Decimal(2))
        with pytest.raises(ValidationError):
            figure.clean()
