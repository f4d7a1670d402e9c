"""Hand-made and mistaken staff input in the admin: a form error or a redirect, never a 500."""

import pytest
from django.urls import reverse

from directory.models import Institution
from tests.factories import make_institution
from tests.staff_factories import (  # noqa: F401  (fixtures)
    admin_form_data,
    editor,
    editor_client,
    fast_hashing,
    form_errors,
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
