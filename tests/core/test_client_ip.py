"""The client's address for every limit comes from django-ipware with a configured count of
trusted proxies: what a client writes into X-Forwarded-For is never believed."""

import pytest
from django.test import RequestFactory

from babysteps.core.ratelimit import client_address, client_ip

factory = RequestFactory()


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **meta)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("81.2.69.160", "6.6.6.6")) == "81.2.69.160"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("81.2.69.160", "81.2.69.160"),  # nginx appended the address it was reached from
        ("6.6.6.6, 81.2.69.160", "81.2.69.160"),  # a client's own header stays to the left
        ("1.1.1.1, 2.2.2.2, 81.2.69.160", "81.2.69.160"),
    ],
)
def test_behind_one_proxy_the_right_most_address_is_the_client(settings, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1", forwarded)) == client


def test_behind_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 81.2.69.160, 10.0.0.2")) == "81.2.69.160"


def test_rotating_the_header_does_not_rotate_the_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    seen = {client_ip(_request("10.0.0.1", f"203.0.113.{n}, 81.2.69.160")) for n in range(22)}
    assert seen == {"81.2.69.160"}


def test_a_missing_header_behind_a_proxy_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"


def test_no_address_at_all_is_none_for_the_lockout_and_a_key_for_the_limits(settings):
    """The sign-in lockout stores the address in an IP column: a request without one (a
    test client's forced sign-in) gives None there, never a word."""
    request = factory.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None
    assert client_ip(request) == "unknown"
