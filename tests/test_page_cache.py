"""Cache correctness (not speed): anonymous pages come from the cache until content changes."""

import pytest
from django.urls import reverse

from directory import cache as page_cache
from directory.models import Institution, Status
from tests.factories import make_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution():
    return make_institution("重庆五一技师学院", summary="原来的摘要")


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_second_request_is_a_hit_and_carries_validators(client, institution):
    first = get(client, institution.get_absolute_url())
    second = get(client, institution.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Last-Modified" in second
    assert "must-revalidate" in second["Cache-Control"]


def test_admin_edit_shows_at_once(client, admin_client, institution):
    url = institution.get_absolute_url()
    assert "原来的摘要" in get(client, url).text
    institution.summary = "编辑后的摘要"
    institution.save()
    response = get(client, url)
    assert "编辑后的摘要" in response.text
    assert response["X-Page-Cache"] == "miss"


def test_delete_shows_at_once(client, institution):
    list_url = reverse("directory:institution_list")
    assert "重庆五一技师学院" in get(client, list_url).text
    Institution.objects.filter(pk=institution.pk).first().delete()
    assert "重庆五一技师学院" not in get(client, list_url).text


def test_withdrawn_page_is_gone_at_once(client, institution):
    url = institution.get_absolute_url()
    assert get(client, url).status_code == 200
    institution.status = Status.DRAFT
    institution.save()
    assert get(client, url).status_code == 404


def test_bulk_import_style_change_shows_after_bump(client, institution):
    url = institution.get_absolute_url()
    get(client, url)
    Institution.objects.filter(pk=institution.pk).update(summary="导入的摘要")
    page_cache.bump_generation()  # what imports and load_demo do after queryset updates
    assert "导入的摘要" in get(client, url).text


def test_staff_never_see_the_anonymous_copy(client, admin_client, institution):
    draft = make_institution("草稿学院", status=Status.DRAFT)
    url = institution.get_absolute_url()
    get(client, url)
    response = admin_client.get(url)
    assert "X-Page-Cache" not in response
    # and what staff get is never stored for visitors
    admin_client.get(draft.get_absolute_url())
    assert get(client, draft.get_absolute_url()).status_code == 404


def test_304_only_while_nothing_changed(client, institution):
    url = institution.get_absolute_url()
    etag = get(client, url)["ETag"]
    assert get(client, url, if_none_match=etag).status_code == 304
    institution.summary = "新摘要"
    institution.save()
    response = get(client, url, if_none_match=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_modified_since_alone_never_gives_a_304(client, institution):
    # One-second resolution: an edit within the second of the copy would be missed.
    url = institution.get_absolute_url()
    first = get(client, url)
    institution.summary = "同一秒内的修改"
    institution.save()
    response = get(client, url, if_modified_since=first["Last-Modified"])
    assert response.status_code == 200
    assert "同一秒内的修改" in response.text


def test_languages_never_mix(client, institution):
    url = institution.get_absolute_url()
    zh = get(client, url)
    en = get(client, "/en" + url)
    assert '<html lang="en"' in en.text
    assert '<html lang="zh-Hans"' in zh.text
    assert get(client, "/en" + url).content == en.content
    assert get(client, url).content == zh.content
    assert zh["ETag"] != en["ETag"]


def test_query_strings_are_separate_pages(client, institution):
    make_institution("重庆文化艺术职业学院", kind="higher_vocational")
    url = reverse("directory:institution_list")
    everything = get(client, url)
    filtered = client.get(url, {"q": "五一"})
    assert "重庆文化艺术职业学院" in everything.text
    assert "重庆文化艺术职业学院" not in filtered.text


def test_errors_are_not_cached(client):
    assert get(client, "/institutions/no-such-school/").status_code == 404
    response = get(client, "/institutions/no-such-school/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_hits_are_served_gzipped_to_clients_that_ask(client, institution):
    import gzip

    url = institution.get_absolute_url()
    plain = get(client, url)
    packed = get(client, url, accept_encoding="gzip, deflate")
    assert packed["X-Page-Cache"] == "hit"
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert "Content-Encoding" not in get(client, url)


def test_gzipped_bodies_carry_a_weak_etag_that_still_validates(client, institution):
    url = institution.get_absolute_url()
    miss = get(client, url, accept_encoding="gzip")
    hit = get(client, url, accept_encoding="gzip")
    plain = get(client, url)
    # A strong ETag promises the same bytes: the gzipped body is not the plain one.
    assert miss["ETag"].startswith('W/"') and hit["ETag"] == miss["ETag"]
    assert not plain["ETag"].startswith("W/") and hit["ETag"] == "W/" + plain["ETag"]
    assert get(client, url, if_none_match=hit["ETag"], accept_encoding="gzip").status_code == 304


def test_an_unknown_host_gets_a_400_with_the_usual_headers(client):
    response = get(client, "/institutions/", host="evil.example")
    assert response.status_code == 400
    assert "X-Page-Cache" not in response
    # CSP's frame-ancestors stands for X-Frame-Options, which is added inside the chain.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert header in response, header


@pytest.mark.parametrize("accept", ["gzip;q=0", "gzip; q=0.0, identity", "identity", "*;q=0"])
def test_gzip_refused_by_quality_zero_is_not_sent(client, institution, accept):
    url = institution.get_absolute_url()
    miss = get(client, url, accept_encoding=accept)
    hit = get(client, url, accept_encoding=accept)
    assert hit["X-Page-Cache"] == "hit"
    for response in (miss, hit):
        assert "Content-Encoding" not in response
        assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("accept", ["gzip;q=0.5", "br, *", "x-gzip"])
def test_gzip_accepted_with_a_quality_or_by_star(client, institution, accept):
    url = institution.get_absolute_url()
    get(client, url)
    assert get(client, url, accept_encoding=accept)["Content-Encoding"] == "gzip"


def test_scheduled_item_appears_when_its_time_comes(client, institution, monkeypatch):
    import time as clock
    from datetime import timedelta

    from django.utils import timezone

    list_url = reverse("directory:institution_list")
    go_live = timezone.now() + timedelta(minutes=5)
    make_institution("定时发布学院", publish_at=go_live)
    assert "定时发布学院" not in get(client, list_url).text
    assert get(client, list_url)["X-Page-Cache"] == "hit"

    later = go_live + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(clock, "time", lambda: later.timestamp())
    response = get(client, list_url)
    assert response["X-Page-Cache"] == "miss"
    assert "定时发布学院" in response.text


def test_pages_of_another_release_are_never_served(client, institution, monkeypatch):
    url = institution.get_absolute_url()
    assert get(client, url)["X-Page-Cache"] == "miss"
    assert get(client, url)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(page_cache, "code_version", lambda: "next-release")
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_the_release_digest_follows_templates(tmp_path, settings):
    page_cache.code_version.cache_clear()
    try:
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "a.html").write_text("one")
        settings.BASE_DIR = tmp_path
        settings.STATIC_ROOT = None
        first = page_cache.code_version()
        page_cache.code_version.cache_clear()
        (tmp_path / "templates" / "a.html").write_text("two")
        assert page_cache.code_version() != first
    finally:
        page_cache.code_version.cache_clear()
