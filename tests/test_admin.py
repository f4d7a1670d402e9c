import pytest
from django.urls import reverse

from directory.models import Article, Institution, Status
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
def test_changelist_and_change_form(admin_client, content, model):
    response = admin_client.get(reverse(f"admin:directory_{model}_changelist"))
    assert response.status_code == 200
    assert str(content[model]) in response.text
    response = admin_client.get(
        reverse(f"admin:directory_{model}_change", args=[content[model].pk])
    )
    assert response.status_code == 200
    response = admin_client.get(reverse(f"admin:directory_{model}_add"))
    assert response.status_code == 200


def test_admin_speaks_chinese(admin_client, content):
    response = admin_client.get(reverse("admin:directory_institution_changelist"))
    assert 'lang="zh-hans"' in response.text or 'lang="zh-Hans"' in response.text


@pytest.mark.parametrize("query", ["五一", "wuyi", "WYJS"])
def test_changelist_search(admin_client, content, query):
    make_institution("重庆文化艺术职业学院")
    response = admin_client.get(reverse("admin:directory_institution_changelist"), {"q": query})
    assert response.status_code == 200
    assert "重庆五一技师学院" in response.text
    assert "重庆文化艺术职业学院" not in response.text


def test_staff_corrects_a_record(admin_client, content):
    institution = content["institution"]
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    data = {
        "name": "重庆五一技师学院",
        "name_en": "Chongqing Wuyi Technician College",
        "aliases": "五一技校",
        "kind": "technician",
        "ownership": "unstated",
        "summary": "更正后的摘要",
        "description": "",
        "address": "",
        "website": "",
        "honours": [content["honour"].pk],
        "order": 1,
        "status": "published",
        "slug": institution.slug,
        "publish_at_0": "",
        "publish_at_1": "",
        "alumni-TOTAL_FORMS": 0,
        "alumni-INITIAL_FORMS": 0,
        "partnerships-TOTAL_FORMS": 0,
        "partnerships-INITIAL_FORMS": 0,
        "figures-TOTAL_FORMS": 0,
        "figures-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution.refresh_from_db()
    assert institution.summary == "更正后的摘要"
    assert institution.name_en == "Chongqing Wuyi Technician College"


def test_publish_and_withdraw_actions(admin_client):
    article = make_article("草稿新闻", status=Status.DRAFT)
    url = reverse("admin:directory_article_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    admin_client.post(url, {"action": "unpublish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_autocomplete_finds_by_pinyin(admin_client, content):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "wuyi",
            "app_label": "directory",
            "model_name": "partnership",
            "field_name": "institution",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["重庆五一技师学院"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:directory_institution_changelist"))
    assert response.status_code == 302
    assert Institution.objects.count() == 0
