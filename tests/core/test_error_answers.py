"""Errors that are not the client's fault answer in the one JSON shape, never a bare 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from rest_framework.test import APIClient

from tangerine.core.errors import exception_handler
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("sorry, too many clients already"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_connection_is_a_retryable_503(error: Exception) -> None:
    response = exception_handler(error, {})
    assert response.status_code == 503
    assert response.data == {
        "code": "unavailable",
        "detail": "The service is briefly unavailable. Please try again.",
    }
    assert response["Retry-After"] == "1"


def test_options_on_a_view_with_its_own_lookup_answers() -> None:
    """DRF's OPTIONS fetched the object through get_object(), which our detail views (lookup by
    uuid, no queryset) do not use: it raised, a 500 (schemathesis found it)."""
    owner = UserFactory.create()
    product = ProductFactory.create(owner=owner, name="x", price=1, link="https://s.example/x")
    client = APIClient()
    client.force_authenticate(owner)
    response = client.options(f"/api/products/{product.uuid}/")
    assert response.status_code == 200
    assert response.json()["name"]
    listing = client.options("/api/products/")
    assert listing.status_code == 200
    assert "POST" in listing.json()["actions"]  # list views still describe their actions


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_bad_page_size_is_a_400_naming_it(value: str) -> None:
    for url in ("/api/posts/latest/", "/api/products/", "/api/products/recommend/"):
        response = APIClient().get(url, {"page_size": value})
        assert response.status_code == 400, url
        assert list(response.json()["fields"]) == ["page_size"]


def test_page_sizes_over_the_most_are_capped_not_refused() -> None:
    assert APIClient().get("/api/posts/latest/", {"page_size": "5000"}).status_code == 200
