"""Panels of one page share what they both show, worked out once for the request."""

from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse

from babysteps.bookings import selectors as bookings
from babysteps.core.panels import shared

pytestmark = pytest.mark.django_db


def test_a_shared_value_is_worked_out_once_per_request():
    first, second = RequestFactory().get("/"), RequestFactory().get("/")
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert shared(first, "k", compute) == 1
    assert shared(first, "k", compute) == 1
    assert shared(second, "k", compute) == 2  # another request works it out afresh
    assert shared(first, "other", compute) == 3


def test_the_family_page_works_out_the_next_call_once(cast, client_for):
    spy = mock.Mock(wraps=bookings.next_touchpoint)
    with mock.patch.object(bookings, "next_touchpoint", spy):
        response = client_for(cast.manager_a).get(
            reverse("families:detail", args=[cast.family_a.pk])
        )
    assert response.status_code == 200
    assert spy.call_count == 1  # the calls panel and the portal panel both show it
