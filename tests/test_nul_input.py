"""A NUL character in a query string or form never breaks a page (PostgreSQL text cannot
hold one: an unchecked value would be a server error there). The API's own check is in
tests/api/test_api.py."""

import pytest
from django.test import Client

from tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db

FIELDS = ("q", "page", "site", "cohort", "date_from", "instrument", "status", "mode", "next")


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.kwargs], ids=lambda r: r.path)
def test_no_page_fails_on_a_nul_character(route, cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    url = "/" + route.path
    for field in FIELDS:
        response = client.get(url, {field: "a\x00b"})
        assert response.status_code < 500, (url, field, response.status_code)
    response = client.post(url, {"q": "a\x00b", "email": "a\x00@example.com", "code": "\x00"})
    assert response.status_code < 500, (url, "POST", response.status_code)
