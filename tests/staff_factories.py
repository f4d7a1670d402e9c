"""Builders for the staff tests: role accounts, image files, and admin form data.

Import the fixtures you use into the test module (`from tests.staff_factories import ...`).
"""

import io
import struct
import zlib

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=False)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(username, group=None, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, fast_hashing):
    return make_staff("editor-wang", "Editors")


@pytest.fixture
def second_editor(db, fast_hashing):
    return make_staff("editor-li", "Editors")


@pytest.fixture
def reviewer(db, fast_hashing):
    return make_staff("reviewer-zhao", "Reviewers")


@pytest.fixture
def superuser(db, fast_hashing):
    return make_staff("root-admin", superuser=True)


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return client_for(reviewer)


# --- Images -------------------------------------------------------------------------------


def two_colour_image(size=(60, 40), mode="RGB"):
    """Left half red, right half blue: an orientation change shows in the pixels."""
    image = Image.new(mode, size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    return image


def image_bytes(fmt="JPEG", size=(60, 40), exif=None, **save):
    image = two_colour_image(size)
    buffer = io.BytesIO()
    if exif is not None:
        save["exif"] = exif.tobytes()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (29.0, 23.0, 10.0), 3: "E", 4: (106.0, 31.0, 5.0)})
    return exif


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width, height):
    """A PNG whose header claims width × height pixels but holds almost no data.

    Opening it is cheap; decoding it would not be: a decompression bomb's calling card.
    """

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --- Admin form data ----------------------------------------------------------------------


def _real_widget(widget):
    while hasattr(widget, "widget") and not isinstance(widget, forms.MultiWidget):
        widget = widget.widget
    return widget


def form_data(form):
    """The POST data a browser would send for `form` as rendered (files left out)."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        key = bound.html_name
        widget = _real_widget(field.widget)
        value = bound.value()
        if isinstance(field, forms.FileField):
            continue
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False)):
                data[f"{key}_{i}"] = "" if part in (None, "") else sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[key] = [str(getattr(v, "pk", v)) for v in (value or [])]
        elif value is None:
            data[key] = ""
        elif isinstance(widget, forms.Select | forms.HiddenInput):
            data[key] = str(getattr(value, "pk", value))
        else:
            formatted = widget.format_value(value)
            data[key] = "" if formatted is None else str(formatted)
    return data


def admin_form_data(response):
    """Everything an admin add/change page would post back unchanged, inlines included."""
    context = response.context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            data.update(form_data(form))
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    return data


def add_inline_form(data, prefix, fields):
    """Append one new inline form (a dict of field -> value) to admin POST data."""
    total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    for name, value in fields.items():
        data[f"{prefix}-{total}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data.setdefault(f"{prefix}-INITIAL_FORMS", 0)
    return data


def form_errors(response):
    """{field: [error codes]} of the admin form and its inlines, for assertions."""
    context = response.context
    errors = {
        field: [e.code for e in errs]
        for field, errs in context["adminform"].form.errors.as_data().items()
    }
    for inline in context.get("inline_admin_formsets", []):
        for form in inline.formset.forms:
            for field, errs in form.errors.as_data().items():
                errors.setdefault(f"{form.prefix}-{field}", []).extend(e.code for e in errs)
    return errors
