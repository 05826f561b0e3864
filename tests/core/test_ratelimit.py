from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core import ratelimit
from tests.support.api import PASSWORD


def test_client_address_trusts_exactly_num_proxies_hops(settings: object) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.NUM_PROXIES = 0  # type: ignore[attr-defined]
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1  # type: ignore[attr-defined]
    assert ratelimit.client_address(request) == "203.0.113.9", "spoofed first hop is ignored"
    settings.NUM_PROXIES = 2  # type: ignore[attr-defined]
    assert ratelimit.client_address(request) == "6.6.6.6"


def test_limiter_counts_each_key_separately(settings: object) -> None:
    settings.AUTH_RATE_LIMITS = {"login": "2/60"}  # type: ignore[attr-defined]
    ratelimit.enforce(scope="login", keys=["a"])
    ratelimit.enforce(scope="login", keys=["a"])
    with pytest.raises(Throttled):
        ratelimit.enforce(scope="login", keys=["a"])
    ratelimit.enforce(scope="login", keys=["b"])


@pytest.mark.django_db
def test_login_limit_per_address_holds_behind_a_proxy(
    anon: APIClient, alice: User, settings: object
) -> None:
    settings.NUM_PROXIES = 1  # type: ignore[attr-defined]
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/300"}  # type: ignore[attr-defined]
    for i in range(3):
        anon.post(
            "/api/accounts/login/",
            {"email": f"nobody{i}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 198.51.100.7",
        )
    # Rotating the spoofable first hop does not reset the count for the real client address.
    response = anon.post(
        "/api/accounts/login/",
        {"email": "alice@example.com", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7",
    )
    assert response.status_code == 429
    other = anon.post(
        "/api/accounts/login/",
        {"email": "alice@example.com", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 200


@pytest.mark.django_db
def test_registration_is_limited_per_address(anon: APIClient, settings: object) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "registration": "2/3600"}  # type: ignore[attr-defined]
    for i in range(2):
        response = anon.post(
            "/api/accounts/registration/",
            {
                "email": f"n{i}@example.com",
                "handle": f"newbie{i}",
                "password1": "a-long-unusual-password",
                "password2": "a-long-unusual-password",
            },
        )
        assert response.status_code == 201
    third = anon.post(
        "/api/accounts/registration/",
        {
            "email": "n9@example.com",
            "handle": "newbie9",
            "password1": "a-long-unusual-password",
            "password2": "a-long-unusual-password",
        },
    )
    assert third.status_code == 429
    assert "Retry-After" in third
