"""Hand-made and mistaken staff input in the admin: a form error or a redirect, never a 500."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from directory.models import Institution, Photo
from tests.factories import make_institution
from tests.staff_factories import (  # noqa: F401  (fixtures)
    admin_form_data,
    editor,
    editor_client,
    fast_hashing,
    form_errors,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_cleared_slug_beside_another_mistake_is_a_form_error(editor_client):
    # An empty slug means "make it from the name again"; the page shown with the other error
    # must not try to link the public page at the empty address.
    institution = make_institution("重庆五一技师学院")
    url = reverse("admin:directory_institution_change", args=[institution.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(slug="", founded_year="abc")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response) == {"founded_year": ["invalid"]}
    assert Institution.objects.get().slug == institution.slug


@pytest.mark.parametrize(
    "query, initial",
    [
        ("publish_at=garbage", None),
        ("publish_at=2026-13-45T10:00", None),
        ("publish_at=2026-03-01T10:30", datetime.datetime(2026, 3, 1, 10, 30)),
    ],
)
def test_a_publication_time_in_the_add_page_address_is_read_or_left_out(
    editor_client, query, initial
):
    # The admin fills an add form from its query string (?name=…): the date-and-time widget
    # was given the text and failed on it.
    response = editor_client.get(reverse("admin:directory_article_add") + "?" + query)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["publish_at"] == initial


EXPORT = {"format": 0, "resource": 0, "institutionresource_name": "on"}


@pytest.mark.parametrize(
    "query", ["format=99", "nosuch=1", "founded_year__gt=abc", "id__in=1,abc", "name__regex=["]
)
def test_an_export_with_a_hand_made_filter_gets_the_lists_answer(editor_client, query):
    # The export page takes the list's filters from its address, as the list does; the list
    # answers one it cannot use with a redirect to ?e=1, and so does the export now.
    make_institution("重庆五一技师学院")
    url = reverse("admin:directory_institution_export")
    # The page itself runs no query (a regex is only tried on export); the export does.
    page = editor_client.get(f"{url}?{query}")
    assert page.status_code == 200 or page["Location"] == f"{url}?e=1"
    response = editor_client.post(f"{url}?{query}", EXPORT)
    assert response.status_code == 302 and response["Location"] == f"{url}?e=1"
    exported = editor_client.post(f"{url}?e=1", EXPORT)
    assert "重庆五一技师学院" in exported.content.decode("utf-8-sig")


def test_a_phone_jpeg_holding_a_second_picture_is_taken_as_the_jpeg_it_is(editor_client):
    # Many phone cameras append a depth map or a preview after the photo (MPF); Pillow reads
    # such a file as "MPO", and it was refused as "an MPO file, only JPEG … accepted".
    photo, depth = Image.new("RGB", (60, 40), "green"), Image.new("RGB", (60, 40), "grey")
    buffer = io.BytesIO()
    photo.save(buffer, "MPO", save_all=True, append_images=[depth])
    data = {"caption": "产业园", "credit": "", "alt_text": "外景", "order": 0}
    data["image"] = upload("IMG_0001.JPG", buffer.getvalue())
    response = editor_client.post(reverse("admin:directory_photo_add"), data)
    assert response.status_code == 302, form_errors(response)
    stored = Photo.objects.get().image
    assert stored.name.endswith(".jpg")
    with Image.open(stored.open()) as image:
        assert image.format == "JPEG" and image.size == (60, 40)


def sheet_starting_on_row(row):
    book = Workbook()
    for offset, cells in enumerate(
        [["slug", "name", "kind"], [None, "重庆空行学院", "technician"]]
    ):
        for column, value in enumerate(cells, 1):
            book.active.cell(row=row + offset, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, payload, fmt",
    [
        ("a.csv", "\nslug,name,kind\n,重庆空行学院,technician\n".encode(), 0),
        ("a.csv", "\ufeff\r\n\r\nslug,name,kind\r\n,重庆空行学院,technician\r\n".encode(), 0),
        ("a.csv", "\n,,\nslug,name,kind\n,重庆空行学院,technician\n".encode("gbk"), 0),
        ("a.xlsx", sheet_starting_on_row(3), 1),
    ],
)
def test_blank_rows_above_the_header_are_skipped(editor_client, name, payload, fmt):
    # A CSV starting with a blank line had no header at all (a 500); an Excel sheet starting
    # lower down had its header read as a row ("every row needs a name" on every row).
    response = editor_client.post(
        reverse("admin:directory_institution_import"),
        {"import_file": SimpleUploadedFile(name, payload), "format": fmt},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1
    form = response.context["confirm_form"]
    confirm = {name: form[name].value() for name in form.fields}
    editor_client.post(reverse("admin:directory_institution_process_import"), confirm)
    assert Institution.objects.get().name == "重庆空行学院"


@pytest.mark.parametrize("value", ["", "5万", "1e999"])
def test_an_upper_value_beside_a_value_not_understood_is_a_form_error(editor_client, value):
    # The upper value was compared with a value the form had not taken: a 500.
    url = reverse("admin:directory_figure_add")
    data = admin_form_data(editor_client.get(url))
    data.update(name="在校生", value=value, value_max="60000", unit="名", scope="city")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "value" in form_errors(response)
