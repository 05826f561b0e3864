"""Content negotiation answers as DRF's does (core/negotiation.py): the fast answer for
``*/*``, ``application/json`` and no ``Accept`` header, DRF's own for everything else, with
the renderers of production (JSON only) and of ``DEBUG`` (JSON, then the browsable API)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import Http404
from django.test import RequestFactory
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core.negotiation import JSONFirstContentNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "",
    "application/json; indent=4",
    "application/json;q=0.9",
    "application/*",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/json, text/plain, */*",
    "image/png",
    "*/*; indent=2",
    "APPLICATION/JSON",
]
QUERIES = ["", "?format=json", "?format=api", "?format=", "?format=xml", "?page=2"]
RENDERER_SETS: dict[str, list[BaseRenderer]] = {
    "production": [JSONRenderer()],
    "debug": [JSONRenderer(), BrowsableAPIRenderer()],
    "browsable first": [BrowsableAPIRenderer(), JSONRenderer()],
}


def _request(path: str, accept: str | None) -> Request:
    factory = RequestFactory()
    return Request(factory.get(path) if accept is None else factory.get(path, HTTP_ACCEPT=accept))


def _answer(negotiator: Any, renderers: list[BaseRenderer], request: Request, suffix: Any) -> Any:
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers, suffix)
    except (NotAcceptable, Http404) as exc:
        return type(exc).__name__
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("renderer_set", list(RENDERER_SETS))
def test_every_answer_is_drfs(renderer_set: str) -> None:
    renderers = RENDERER_SETS[renderer_set]
    compared = 0
    for accept in ACCEPTS:
        for query in QUERIES:
            for suffix in (None, "json", "api"):
                request = _request(f"/api/posts/latest/{query}", accept)
                ours = _answer(JSONFirstContentNegotiation(), renderers, request, suffix)
                drf = _answer(DefaultContentNegotiation(), renderers, request, suffix)
                assert ours == drf, (accept, query, suffix)
                compared += 1
    assert compared == len(ACCEPTS) * len(QUERIES) * 3


def test_the_fast_answer_is_taken_for_the_usual_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual requests never reach DRF's parsing (that is the saving), the rest do."""
    reached: list[str | None] = []
    original = DefaultContentNegotiation.select_renderer

    def spy(self: Any, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        reached.append(request.META.get("HTTP_ACCEPT"))
        return original(self, request, renderers, format_suffix)

    monkeypatch.setattr(DefaultContentNegotiation, "select_renderer", spy)
    negotiator = JSONFirstContentNegotiation()
    for accept in (None, "*/*", "application/json", "application/json; indent=4", "text/html"):
        request = _request("/api/posts/latest/", accept)
        _answer(negotiator, [JSONRenderer()], request, None)
    assert reached == ["application/json; indent=4", "text/html"]


@pytest.mark.django_db
def test_the_api_negotiates_as_before(alice: User) -> None:
    client = APIClient()
    plain = client.get("/api/posts/latest/", HTTP_ACCEPT="*/*")
    assert plain.status_code == 200
    assert plain["Content-Type"] == "application/json"
    assert json.loads(plain.content) == {"next": None, "previous": None, "results": []}
    # A parameter asks DRF's way: the indent is honoured.
    indented = client.get("/api/posts/latest/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200
    assert indented.content.startswith(b'{\n  "next"')
    # Nothing we render: 406 with the error body (rendered as JSON).
    refused = client.get("/api/posts/latest/", HTTP_ACCEPT="image/png")
    assert refused.status_code == 406
    assert json.loads(refused.content)["code"] == "not_acceptable"
