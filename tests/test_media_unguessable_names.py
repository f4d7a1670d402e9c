"""A photo's files cannot be fetched by guessing their address before it is published.

In production the reverse proxy serves /media/ to anyone and Django never sees those
requests, so the address itself is the protection: every photo is stored in a folder named
by 128 random bits, and its renditions are named after it. Here media is served as the
proxy would (to anyone, see `urlpatterns`), and visitors guess from what they could know:
the caption, the uploaded file's name, and how renditions are named.
"""

import importlib
import json
import re
import shutil
from io import StringIO
from types import SimpleNamespace

import pytest
import reversion
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import re_path, reverse
from django.views.static import serve
from reversion.models import Version

from config.urls import urlpatterns as site_urlpatterns
from directory import renditions
from directory.models import Photo, Status
from tests.factories import make_article, make_institution, png_bytes
from tests.staff_factories import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    fast_hashing,
    image_bytes,
    upload,
)


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)  # this test's folder


# The site, with /media/ served first, from each test's own folder, as the proxy serves it.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", _media), *site_urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

UNGUESSABLE = re.compile(r"photos/[0-9a-f]{32}/[^/]+")
# How easy-thumbnails names each rendition of photos/<name>: renditions/photos/<name><suffix>.
SUFFIXES = [
    ".240x160_q85_crop.jpg",
    ".640x400_q85_crop.jpg",
    ".800x0_q85.jpg",
    ".1600x0_q85.jpg",
    ".1200x630_q85_crop_upscale.jpg",
]


def guesses(name):
    """Addresses a visitor could try for a photo uploaded as `name`."""
    return [f"/media/photos/{name}"] + [f"/media/renditions/photos/{name}{s}" for s in SUFFIXES]


def upload_photo(client, name, article=None, capture=None, **extra):
    data = {
        "caption": "新校区效果图",
        "caption_en": "",
        "credit": "",
        "alt_text": "新校区效果图",
        "order": 0,
        "key": "",
        "image": upload(name, image_bytes("JPEG", size=(1800, 1200))),
        **extra,
    }
    if article is not None:
        data["article"] = article.pk
    with capture(execute=True):  # the renditions are made once the save commits
        response = client.post(reverse("admin:directory_photo_add"), data)
    assert response.status_code == 302, response.content[:2000]
    return Photo.objects.latest("pk")


def rendition_urls(html):
    return sorted(set(re.findall(r"/media/renditions/[^\"' ,]+", html)))


# --- New uploads -------------------------------------------------------------------------


def test_a_draft_articles_photo_cannot_be_fetched_by_guessing(
    editor_client, client, django_capture_on_commit_callbacks
):
    draft = make_article("未发布的新闻", status=Status.DRAFT)
    photo = upload_photo(editor_client, "campus.jpg", draft, django_capture_on_commit_callbacks)

    assert client.get(draft.get_absolute_url()).status_code == 404
    for address in [*guesses("campus.jpg"), "/media/photos/", "/media/renditions/photos/"]:
        assert client.get(address).status_code == 404, address

    # The file is there, at an address only staff have seen.
    assert UNGUESSABLE.fullmatch(photo.image.name)
    assert photo.image.name.endswith("/campus.jpg")
    assert client.get(photo.image.url).status_code == 200
    for alias in renditions.ALIASES:
        found = renditions.lookup(photo, alias)
        assert found.alias == alias
        assert found.url.startswith(f"/media/renditions/{photo.image.name}.")


def test_a_photo_of_an_unpublished_institution_cannot_be_fetched_by_guessing(
    editor_client, client, django_capture_on_commit_callbacks
):
    hidden = make_institution("筹建中的学院", status=Status.DRAFT)
    upload_photo(
        editor_client,
        "筹建中的学院.jpg",
        capture=django_capture_on_commit_callbacks,
        institution=hidden.pk,
        caption="筹建中的学院",
    )
    for address in guesses("筹建中的学院.jpg"):
        assert client.get(address).status_code == 404, address


def test_once_published_the_page_shows_renditions_that_are_served(
    editor_client, client, django_capture_on_commit_callbacks
):
    article = make_article("即将发布的新闻", status=Status.DRAFT)
    photo = upload_photo(editor_client, "campus.jpg", article, django_capture_on_commit_callbacks)
    article.status = Status.PUBLISHED
    article.save()

    html = client.get(article.get_absolute_url()).text
    urls = rendition_urls(html)
    assert urls and all(url.startswith(f"/media/renditions/{photo.image.name}.") for url in urls)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_each_upload_gets_a_folder_of_its_own(editor_client, django_capture_on_commit_callbacks):
    first = upload_photo(editor_client, "campus.jpg", capture=django_capture_on_commit_callbacks)
    second = upload_photo(editor_client, "campus.jpg", capture=django_capture_on_commit_callbacks)
    assert first.image.name != second.image.name
    assert first.image.name.split("/")[1] != second.image.name.split("/")[1]
    assert default_storage.exists(first.image.name) and default_storage.exists(second.image.name)


# --- Photos stored before: migration 0007 ------------------------------------------------


def old_style_photo(name="campus.jpg", **fields):
    """A photo as uploads were stored until now: photos/<upload's name>, renditions made."""
    stored = default_storage.save(f"photos/{name}", ContentFile(image_bytes("JPEG", (1800, 1200))))
    fields.setdefault("caption", "新校区")
    fields.setdefault("alt_text", "新校区")
    with reversion.create_revision():
        photo = Photo.objects.create(image=stored, **fields)
    renditions.generate_for(photo)
    return photo


def run_migration():
    migration = importlib.import_module("directory.migrations.0007_unguessable_photo_names")
    migration.move_photo_files(django_apps, SimpleNamespace(connection=connection))


def test_migration_moves_an_old_photo_out_of_reach_and_keeps_it(
    client, django_capture_on_commit_callbacks
):
    school = make_institution("重庆五一技师学院")
    photo = old_style_photo(institution=school)
    old_name = photo.image.name
    original = default_storage.open(old_name).read()
    for address in guesses("campus.jpg"):
        assert client.get(address).status_code == 200, address  # reachable before

    with django_capture_on_commit_callbacks(execute=True):
        run_migration()

    photo.refresh_from_db()
    assert UNGUESSABLE.fullmatch(photo.image.name) and photo.image.name.endswith("/campus.jpg")
    assert default_storage.open(photo.image.name).read() == original  # nothing lost
    for address in guesses("campus.jpg"):
        assert client.get(address).status_code == 404, address
    assert not default_storage.exists(old_name)

    # The page shows the moved renditions, and they are served.
    urls = rendition_urls(client.get(school.get_absolute_url()).text)
    assert urls and all(url.startswith(f"/media/renditions/{photo.image.name}.") for url in urls)
    for url in urls:
        assert client.get(url).status_code == 200, url

    # Its history names the moved file, so restoring an earlier version keeps the picture.
    (version,) = Version.objects.get_for_object(photo)
    assert json.loads(version.serialized_data)[0]["fields"]["image"] == photo.image.name

    # The moved renditions are known to easy-thumbnails: deleting the photo removes them all.
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not [url for url in urls if default_storage.exists(url.removeprefix("/media/"))]


def test_migration_leaves_the_old_files_until_it_commits(django_capture_on_commit_callbacks):
    photo = old_style_photo()

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        run_migration()
        raise Interrupted

    photo.refresh_from_db()
    assert photo.image.name == "photos/campus.jpg"
    assert default_storage.exists("photos/campus.jpg")
    for alias in renditions.ALIASES:
        assert default_storage.exists(renditions.lookup(photo, alias).url.removeprefix("/media/"))


def test_migration_leaves_alone_what_needs_no_move(django_capture_on_commit_callbacks):
    moved_already = old_style_photo("new.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        run_migration()
    moved_already.refresh_from_db()
    unguessable = moved_already.image.name
    missing = Photo.objects.create(
        image="photos/gone.jpg", width=800, height=600, caption="丢失", alt_text="丢失"
    )
    demo_name = default_storage.save("photos/demo/wuyi.png", ContentFile(png_bytes()))
    placeholder = Photo.objects.create(
        image=demo_name, caption="示意图", alt_text="示意图", is_placeholder=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_migration()

    names = dict(Photo.objects.values_list("pk", "image"))
    assert names[moved_already.pk] == unguessable  # not moved twice
    assert names[missing.pk] == "photos/gone.jpg"  # nothing to hide; the admin asks again
    assert names[placeholder.pk] == "photos/demo/wuyi.png"  # drawn from the public fixtures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restoring_an_old_backup_moves_its_photos(settings, tmp_path, client):
    photo = old_style_photo(institution=make_institution("重庆五一技师学院"))
    original = default_storage.open(photo.image.name).read()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)

    out = StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "moved to unguessable file names: 1" in out.getvalue()
    restored = Photo.objects.get()
    assert UNGUESSABLE.fullmatch(restored.image.name)
    assert default_storage.open(restored.image.name).read() == original
    for address in guesses("campus.jpg"):
        assert client.get(address).status_code == 404, address
