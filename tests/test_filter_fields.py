"""The filter forms of the list pages, as a visitor's browser receives them."""

import re

import pytest

from tests.factories import make_honour, make_institution

pytestmark = pytest.mark.django_db


def field_html(html, name):
    """The <div class="field"> that holds the control named `name`."""
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!</div>).)*name="{name}"(?:(?!</div>).)*</div>', html, re.S
    )
    assert match, f"no field {name}"
    return match.group(0)


def test_each_field_has_a_label_bound_to_its_control(client):
    make_institution()
    html = client.get("/institutions/").text
    for name in ["q", "kind", "ownership", "honour", "has_partnerships", "ordering"]:
        field = field_html(html, name)
        assert f'<label for="id_{name}">' in field
        assert f'id="id_{name}"' in field


def test_chosen_values_are_shown_as_chosen(client):
    honour = make_honour("世赛中国集训基地")
    make_institution(honours=[honour], kind="technician")
    html = client.get(
        "/institutions/", {"kind": "technician", "honour": honour.slug, "q": "五一", "initial": "C"}
    ).text
    assert '<option value="technician" selected>' in field_html(html, "kind")
    assert f'<option value="{honour.slug}" selected>世赛中国集训基地</option>' in html
    assert '<option value="" selected>' in field_html(html, "ownership")
    assert 'value="五一"' in field_html(html, "q")
    assert '<input type="hidden" name="initial" id="id_initial" value="C">' in html


def test_a_value_not_understood_is_marked_on_its_field(client):
    make_institution()
    html = client.get("/institutions/", {"kind": "bogus"}).text
    field = field_html(html, "kind")
    assert 'class="field field--error"' in field
    assert '<ul class="errorlist" id="id_kind_error">' in field
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_kind_error"' in field
    assert " selected" not in field.split("</option>", 1)[1]  # no real option chosen


def test_typed_values_are_escaped(client):
    make_institution()
    html = client.get("/institutions/", {"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in field_html(html, "q")


def test_english_labels_and_choices(client):
    make_institution()
    html = client.get("/en/institutions/").text
    assert '<label for="id_kind">Kind</label>' in html
    assert '<option value="technician">Technician college</option>' in html


@pytest.mark.django_db
def test_honour_choices_are_only_those_a_listed_institution_holds(client):
    held = make_honour("世赛中国集训基地")
    make_honour("国家级高新技术企业")  # held by nobody (an enterprise's title)
    draft_only = make_honour("草稿院校的荣誉")
    make_institution(honours=[held])
    make_institution(honours=[draft_only], status="draft")
    choices = client.get("/institutions/").context["filter"].form.fields["honour"].choices
    assert [label for value, label in choices if value] == ["世赛中国集训基地"]
