"""Image rules: checked by content, size and pixel limits, EXIF, renditions, files removed."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from directory import renditions
from directory.images import MAX_UPLOAD_BYTES
from directory.models import Photo
from tests.factories import make_article
from tests.staff_factories import (  # noqa: F401  (fixtures)
    admin_form_data,
    editor,
    editor_client,
    exif_with_gps,
    fast_hashing,
    form_errors,
    image_bytes,
    png_header_only,
    upload,
)

pytestmark = pytest.mark.django_db

ADD = "admin:directory_photo_add"


def real_photo(size, name="real.jpg"):
    """A stored JPEG photo (not a placeholder) of the given size, without renditions yet."""
    return Photo.objects.create(
        image=ContentFile(image_bytes("JPEG", size=size), name=name),
        caption="真实照片",
        alt_text="照片",
    )


def photo_data(**extra):
    data = {
        "caption": "云计算产业园",
        "caption_en": "",
        "credit": "摄影：王彩艳",
        "alt_text": "产业园大楼外景",
        "order": 0,
        "key": "",
    }
    data.update(extra)
    return data


def post_photo(client, file, **extra):
    return client.post(reverse(ADD), photo_data(image=file, **extra))


def stored_files():
    found = []

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.extend(f"{path}/{f}".lstrip("/") for f in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    if default_storage.exists(""):
        walk("")
    return sorted(found)


# --- Refused uploads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("photo.jpg", image_bytes("GIF"), "wrong_format"),  # a GIF named .jpg
        ("photo.jpg", image_bytes("BMP"), "wrong_format"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "not_image"),
        ("photo.png", b"%PDF-1.4 not a picture", "not_image"),
        ("photo.jpg", image_bytes("JPEG", size=(400, 300))[:1500], "broken"),  # cut short
        ("photo.png", png_header_only(30000, 30000), "too_many_pixels"),  # a bomb
        ("photo.png", png_header_only(8000, 6000), "too_many_pixels"),  # 48 megapixels
        # A strip: its renditions would be scaled up to billions of pixels.
        ("strip.png", image_bytes("PNG", size=(1, 6000)), "odd_shape"),
        ("strip.png", image_bytes("PNG", size=(6000, 2)), "odd_shape"),
    ],
)
def test_bad_uploads_get_a_clear_form_error(editor_client, name, data, code):
    response = post_photo(editor_client, upload(name, data))
    assert response.status_code == 200
    assert form_errors(response) == {"image": [code]}
    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_a_file_over_10_mb_is_refused(editor_client):
    data = image_bytes("JPEG") + b"\0" * (MAX_UPLOAD_BYTES + 1)
    response = post_photo(editor_client, upload("big.jpg", data))
    assert form_errors(response) == {"image": ["too_large"]}
    message = response.context["adminform"].form.errors["image"][0]
    assert "10" in message
    assert Photo.objects.count() == 0


def test_alt_text_is_required(editor_client):
    response = post_photo(editor_client, upload("ok.jpg", image_bytes()), alt_text="")
    assert form_errors(response) == {"alt_text": ["required"]}


@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_jpeg_png_and_webp_are_accepted(editor_client, fmt, ext):
    response = post_photo(editor_client, upload(f"picture.{ext}", image_bytes(fmt)))
    assert response.status_code == 302, form_errors(response)
    photo = Photo.objects.get()
    assert photo.image.name.endswith(f".{ext}")
    assert (photo.width, photo.height) == (60, 40)


def test_the_name_follows_the_content(editor_client):
    post_photo(editor_client, upload("really-a-png.jpg", image_bytes("PNG")))
    assert Photo.objects.get().image.name.endswith("really-a-png.png")


def test_a_name_that_is_only_an_extension_gets_a_plain_one(editor_client):
    post_photo(editor_client, upload(".jpg", image_bytes("JPEG")))
    name = Photo.objects.get().image.name.rsplit("/", 1)[-1]
    assert not name.startswith(".") and name.endswith(".jpg")


@pytest.mark.parametrize(
    "name, stem",
    [
        ("重" * 89 + ".jpg", "重" * 40),  # 267 bytes: more than a file name may hold
        ("a" * 300 + ".jpg", "a" * 40),  # more than the column's 100 characters
        ("😀🎉.jpg", "image"),  # nothing left of the name that a file name should hold
        ("园区 外景 (1).jpg", "园区_外景_1"),
    ],
)
def test_any_file_name_is_made_a_short_plain_one(
    editor_client, django_capture_on_commit_callbacks, name, stem
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(editor_client, upload(name, image_bytes("JPEG", size=(800, 600))))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert re.fullmatch(rf"photos/[0-9a-f]{{32}}/{stem}\.jpg", photo.image.name)
    for alias in renditions.ALIASES:  # the renditions' longer names were made too
        assert renditions.lookup(photo, alias).alias == alias


# --- EXIF ---------------------------------------------------------------------------------


def test_exif_orientation_is_applied_and_location_stripped(editor_client):
    data = image_bytes("JPEG", size=(60, 40), exif=exif_with_gps(orientation=6))
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(0x8825)  # the upload does carry a GPS position

    response = post_photo(editor_client, upload("phone.jpg", data))
    assert response.status_code == 302, form_errors(response)
    photo = Photo.objects.get()
    with photo.image.open("rb") as fh:
        saved = Image.open(io.BytesIO(fh.read()))
        saved.load()
    assert saved.size == (40, 60)  # turned upright: rotated a quarter turn
    assert (photo.width, photo.height) == (40, 60)
    exif = saved.getexif()
    assert 0x0112 not in exif  # no orientation left to apply twice
    assert not exif.get_ifd(0x8825)  # no GPS
    assert 0x010F not in exif  # nor any other EXIF
    assert b"GPS" not in photo.image.storage.open(photo.image.name).read()
    # Red was on the left; after the quarter turn clockwise it is at the top.
    red, blue = saved.getpixel((20, 5)), saved.getpixel((20, 55))
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]


# --- Renditions ---------------------------------------------------------------------------


def test_renditions_are_made_when_the_photo_is_saved(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client, upload("big.jpg", image_bytes("JPEG", size=(2400, 1600))))
    photo = Photo.objects.get()
    sizes = {}
    for alias in renditions.ALIASES:
        found = renditions.lookup(photo, alias)
        assert found.alias == alias
        sizes[alias] = (found.width, found.height)
        assert default_storage.exists(found.url.removeprefix("/media/"))
    assert sizes == {
        "thumbnail": (240, 160),
        "card": (640, 400),
        "medium": (800, 533),
        "full": (1600, 1067),
        "og": (1200, 630),
    }


def test_template_tag_gives_url_and_size(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client, upload("a.jpg", image_bytes("JPEG", size=(1300, 900))))
    photo = Photo.objects.get()
    html = Template(
        '{% load photo_tags %}{% rendition photo "card" as r %}'
        '<img src="{{ r.url }}" width="{{ r.width }}" height="{{ r.height }}">'
    ).render(Context({"photo": photo}))
    assert 'width="640" height="400"' in html
    assert "/media/renditions/photos/" in html


def test_visitor_lookups_never_generate(django_assert_num_queries):
    photo = real_photo((800, 600))
    before = stored_files()
    with django_assert_num_queries(0):
        for alias in renditions.ALIASES:
            assert renditions.lookup(photo, alias) is None  # not made: nothing, not the original
    assert stored_files() == before


def test_lookup_falls_back_to_the_nearest_existing_rendition():
    photo = real_photo((1600, 1000))
    renditions.generate_for(photo)
    del photo.renditions["card"]  # e.g. the card rendition failed to be made
    found = renditions.lookup(photo, "card")
    assert found.alias == "medium"
    assert found.url.endswith(photo.renditions["medium"][0])


def test_a_placeholder_falls_back_to_its_original():
    photo = Photo.objects.create(
        image=ContentFile(image_bytes("PNG", size=(1200, 800)), name="placeholder.png"),
        caption="示意图",
        alt_text="示意图",
        is_placeholder=True,
    )
    found = renditions.lookup(photo, "card")
    assert found.alias == "original" and found.url == photo.image.url


def test_generate_renditions_command_makes_the_missing_ones():
    from django.core.management import call_command

    photo = real_photo((1300, 900))
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert f"renditions ready: {len(renditions.ALIASES)}" in out.getvalue()
    photo.refresh_from_db()
    assert renditions.lookup(photo, "og").alias == "og"


def test_renditions_of_an_earlier_image_are_never_shown():
    photo = real_photo((1300, 900), name="first.jpg")
    renditions.generate_for(photo)
    assert renditions.lookup(photo, "card").alias == "card"
    photo.image = ContentFile(image_bytes("JPEG", size=(1300, 900)), name="second.jpg")
    photo.save()  # replaced; its renditions come after the commit
    assert renditions.lookup(photo, "card") is None
    renditions.generate_for(photo)
    assert "second" in renditions.lookup(photo, "card").url


def test_lookups_touch_neither_storage_nor_cache(monkeypatch, django_assert_num_queries):
    photo = real_photo((1300, 900))
    renditions.generate_for(photo)
    from django.core.cache import cache
    from django.core.files.storage import FileSystemStorage

    def forbidden(*args, **kwargs):
        raise AssertionError("a lookup touched storage or cache")

    with monkeypatch.context() as patch:  # undone before the fixtures clear the cache
        for name in ("exists", "open", "size"):
            patch.setattr(FileSystemStorage, name, forbidden)
        patch.setattr(cache, "get", forbidden)
        with django_assert_num_queries(0):
            for alias in renditions.ALIASES:
                assert renditions.lookup(photo, alias).alias == alias


def test_a_missing_file_never_breaks_a_lookup():
    photo = Photo.objects.create(
        image="photos/gone.jpg", width=800, height=600, caption="丢失", alt_text="丢失"
    )
    assert renditions.lookup(photo, "card") is None


# --- Replaced and deleted files -----------------------------------------------------------


def test_replaced_file_and_its_renditions_are_removed(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client, upload("first.jpg", image_bytes("JPEG", size=(800, 600))))
    photo = Photo.objects.get()
    old_files = stored_files()
    assert len(old_files) == 1 + len(renditions.ALIASES)  # the original and its renditions

    url = reverse("admin:directory_photo_change", args=[photo.pk])
    data = admin_form_data(editor_client.get(url))
    data["image"] = upload("second.jpg", image_bytes("JPEG", size=(900, 600)))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    photo.refresh_from_db()
    now = stored_files()
    assert not set(old_files) & set(now)
    assert photo.image.name in now and len(now) == 1 + len(renditions.ALIASES)


def test_deleted_photo_leaves_no_files(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client, upload("first.jpg", image_bytes("JPEG", size=(800, 600))))
    photo = Photo.objects.get()
    assert stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:directory_photo_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_article_with_a_new_photo_inline(editor_client, django_capture_on_commit_callbacks):
    article = make_article("新闻")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": upload("inline.jpg", image_bytes()),
            "photos-0-caption": "新图",
            "photos-0-alt_text": "新图的说明",
            "photos-0-order": 0,
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    photo = article.photos.get()
    assert renditions.lookup(photo, "thumbnail").alias == "thumbnail"


def test_a_chosen_picture_is_asked_for_again_when_the_page_comes_back(editor_client):
    url = reverse("admin:directory_article_add")
    data = admin_form_data(editor_client.get(url))
    data.update(
        {
            "name": "新建实训中心投入使用",
            "year": "",  # forgotten
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": upload("实训中心.jpg", image_bytes()),
            "photos-0-caption": "新图",
            "photos-0-alt_text": "新图的说明",
            "photos-0-order": 0,
        }
    )
    response = editor_client.post(url, data)
    assert form_errors(response) == {"year": ["required"]}
    # The browser shows the picture's field empty again: the row says to choose it again.
    row = response.text[response.text.index('id="photos-0"') :]
    note = re.search(r'name="photos-0-image"[^>]*>\s*<ul class="errorlist"><li>(.*?)</li>', row)
    assert note and "实训中心.jpg" in note.group(1)
    # Not when the file itself was refused: its own error says what to do.
    data["photos-0-image"] = upload("x.jpg", image_bytes("GIF"))
    response = editor_client.post(url, data)
    assert "x.jpg" not in response.text


def test_inline_photo_with_a_bad_file_is_a_form_error(editor_client):
    article = make_article("新闻")
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": upload("x.jpg", image_bytes("GIF")),
            "photos-0-caption": "新图",
            "photos-0-alt_text": "说明",
            "photos-0-order": 0,
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response) == {"photos-0-image": ["wrong_format"]}
    assert not article.photos.exists()


def test_a_photo_whose_file_is_gone_asks_for_a_new_upload(editor_client):
    # E.g. an old version restored from the history after its file was replaced.
    photo = Photo.objects.create(
        image="photos/gone.jpg", width=800, height=600, caption="丢失", alt_text="丢失"
    )
    url = reverse("admin:directory_photo_change", args=[photo.pk])
    page = editor_client.get(url)
    assert 'class="admin-thumb--none"' in page.text  # the preview says so, no broken <img>
    data = admin_form_data(page)
    data["caption"] = "改了说明"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert list(form_errors(response)) == ["image"]
    data["image"] = upload("again.jpg", image_bytes())
    assert editor_client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "改了说明" and photo.image.storage.exists(photo.image.name)


def test_full_size_photos_offer_the_medium_rendition_to_small_screens():
    photo = real_photo((2000, 1500))
    renditions.generate_for(photo)
    medium, full = renditions.lookup(photo, "medium"), renditions.lookup(photo, "full")
    html = Template('{% include "includes/photo.html" with photo=photo figure=True %}').render(
        Context({"photo": photo})
    )
    assert f'src="{full.url}"' in html
    assert f'srcset="{medium.url} 800w, {full.url} 1600w"' in html
    assert 'sizes="(min-width: 74rem) 24rem' in html and 'loading="lazy"' in html
    lead = Template(
        '{% include "includes/photo.html" with photo=photo lead=True sizes="100vw" %}'
    ).render(Context({"photo": photo}))
    assert 'sizes="100vw"' in lead and 'fetchpriority="high"' in lead
    assert 'loading="lazy"' not in lead
    card = Template('{% include "includes/photo.html" with photo=photo size="card" %}').render(
        Context({"photo": photo})
    )
    assert "srcset" not in card  # cropped: a different shape from medium and full

    # Renditions made before "medium" existed: no srcset, the full image alone.
    del photo.renditions["medium"]
    assert renditions.srcset(photo) == ""


def test_small_photos_get_no_srcset_of_equal_widths():
    photo = real_photo((700, 500), name="small.jpg")
    renditions.generate_for(photo)  # neither medium nor full enlarges it: both 700 wide
    assert renditions.srcset(photo) == ""


# --- Saving around photos -------------------------------------------------------------------


def test_saving_an_article_unchanged_leaves_its_photos_alone(editor_client):
    article = make_article("测试新闻")
    photo = real_photo((800, 600))
    photo.article = article
    photo.save()
    updated = Photo.objects.get().updated
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    # An inline row shows no edit token, so a browser posts none.
    data = {k: v for k, v in data.items() if not k.startswith("photos-") or "edit_token" not in k}
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Photo.objects.get().updated == updated  # not saved again, so no false conflict
    assert Version.objects.get_for_object(photo).count() == 0


def test_an_article_saves_although_an_untouched_photo_lost_its_file(editor_client):
    article = make_article("测试新闻")
    photo = real_photo((800, 600))
    photo.article = article
    photo.save()
    default_storage.delete(photo.image.name)
    url = reverse("admin:directory_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data["summary"] = "新的摘要"
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.summary == "新的摘要"


def test_saving_a_photo_whose_file_is_gone_says_so(editor_client):
    photo = real_photo((800, 600))
    default_storage.delete(photo.image.name)
    url = reverse("admin:directory_photo_change", args=[photo.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 200
    assert "image" in form_errors(response)
