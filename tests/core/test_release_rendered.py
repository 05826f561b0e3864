"""A rendered DRF response leaves nothing in reference cycles (core/middleware.py
``ReleaseRenderedMiddleware``): its page, serializers, view and request are freed by reference
counting when the response is, not by the garbage collector later (issue 17)."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.base import BaseHandler
from django.db import close_old_connections
from django.test import RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from tangerine.accounts.models import User
from tangerine.accounts.tokens import tokens_for_user
from tangerine.posts.models import Post
from tests.factories import bulk_posts

pytestmark = pytest.mark.django_db

RELEASE = "tangerine.core.middleware.ReleaseRenderedMiddleware"
DRF_TYPES = (Response, Request, BaseSerializer, APIView, Post)


def _serve(path: str, **headers: str) -> Any:
    """Through the middleware chain as a server runs it, keeping the test's database
    connection open (as Django's test client does: a request's end closes it otherwise)."""
    handler = BaseHandler()
    handler.load_middleware()
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = handler.get_response(RequestFactory().get(path, **headers))  # type: ignore[arg-type]
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)
    return response


def _left_in_cycles(path: str, **headers: str) -> tuple[Any, list[object]]:
    """The response, and what serving it left that only the collector frees."""
    _serve(path, **headers)  # warm: first-use caches are not the request's
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        response = _serve(path, **headers)
        answer = (response.status_code, json.loads(response.content))  # holds no DRF object
        del response
        gc.collect()
        return answer, [o for o in gc.garbage if isinstance(o, DRF_TYPES)]
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()


@pytest.fixture
def viewer_headers(make_user: Callable[..., User]) -> dict[str, str]:
    bulk_posts(make_user(), 25)
    viewer = make_user()
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens_for_user(user=viewer)['access']}"}


@pytest.mark.parametrize("path", ["/api/posts/latest/", "/api/products/", "/api/accounts/me/"])
def test_a_rendered_response_leaves_no_drf_object_in_cycles(
    path: str, viewer_headers: dict[str, str]
) -> None:
    (status, data), left = _left_in_cycles(path, **viewer_headers)
    assert status == 200
    assert data
    assert left == []


def test_the_page_stays_readable_after_the_release(viewer_headers: dict[str, str]) -> None:
    response = _serve("/api/posts/latest/", **viewer_headers)
    assert len(response.data["results"]) == 20
    assert json.loads(response.content)["results"] == response.data["results"]


def test_an_error_answer_is_released_too() -> None:
    (status, data), left = _left_in_cycles("/api/posts/feed/")  # no token: 401
    assert status == 401
    assert data["code"] == "not_authenticated"
    assert left == []


def test_without_the_middleware_drf_keeps_the_page_in_cycles(
    viewer_headers: dict[str, str], settings: Any
) -> None:
    """What the middleware is for: DRF's own links (response and its context, request and
    its view, serializer and its data) hold the page for the collector."""
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != RELEASE]):
        (status, _), left = _left_in_cycles("/api/posts/latest/", **viewer_headers)
    assert status == 200
    assert sum(isinstance(o, Post) for o in left) == 20
    assert any(isinstance(o, Response) for o in left)
