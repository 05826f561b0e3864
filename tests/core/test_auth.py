from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.models import User


def _request(user: User | None = None) -> Request:
    request = Request(RequestFactory().get("/"), authenticators=())
    if user is not None:
        request.user = user
    return request


def test_anonymous_request_has_no_viewer_and_is_refused_as_user(db: None) -> None:
    request = _request()
    assert request_viewer(request) is None
    with pytest.raises(NotAuthenticated):
        request_user(request)


def test_signed_in_request_gives_the_user_both_ways(alice: User) -> None:
    request = _request(alice)
    assert request_viewer(request) == alice
    assert request_user(request) == alice
