"""Faults: the database going away, and a failure half-way through a load."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import make_institution

pytestmark = pytest.mark.django_db


def test_database_unavailable_gives_designed_503_and_recovers(monkeypatch, settings):
    settings.PAGE_CACHE_ENABLED = True
    institution = make_institution("重庆五一技师学院")
    client = Client(raise_request_exception=False)

    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        response = client.get(institution.get_absolute_url() + "?uncached=1")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "网站正在维护" in response.text and "Traceback" not in response.text
    response = client.get(institution.get_absolute_url() + "?uncached=1")
    assert response.status_code == 200
    assert "重庆五一技师学院" in response.text
