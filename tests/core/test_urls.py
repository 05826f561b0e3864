"""The API's routes grouped by first segment (config/urls.py ``api_routes``) resolve every path
exactly as the one-include-per-app layout they replace: the same view, arguments, name and
route, the same winner where two apps' routes could match, and the same 404s (issue 17)."""

from __future__ import annotations

import re
import sys
import types
from importlib import import_module

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    include,
    path,
    re_path,
    reverse,
)
from django.urls.resolvers import RegexPattern

from tangerine.config.urls import API_APPS, FirstSegmentResolver, api_routes

SAMPLES = {"str": "x1", "uuid": "0b0c4f7e-96b5-4b8d-9f5a-27a1c2f3d4e5", "int": "7", "slug": "a-b"}


def plain_layout() -> URLResolver:
    """The layout before: one include per app, in the same order, under a root resolver."""
    patterns = [path(f"api/{prefix}", include(module)) for prefix, module in API_APPS]
    return URLResolver(RegexPattern(r"^/"), patterns)


def grouped_layout() -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), [api_routes(API_APPS)])


def every_route() -> list[str]:
    routes = []
    for prefix, module in API_APPS:
        routes += [prefix + str(p.pattern) for p in import_module(module).urlpatterns]
    return routes


def sample_path(route: str) -> str:
    return "/api/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], route)


def outcome(resolver: URLResolver, url: str) -> tuple[object, ...] | None:
    try:
        match = resolver.resolve(url)
    except Resolver404:
        return None
    return (match.func, match.args, match.kwargs, match.url_name, match.route)


def test_every_route_resolves_as_the_plain_includes_did() -> None:
    plain, grouped = plain_layout(), grouped_layout()
    routes = every_route()
    assert len(routes) > 80
    for route in routes:
        url = sample_path(route)
        before = outcome(plain, url)
        assert before is not None, url
        assert outcome(grouped, url) == before, url


@pytest.mark.parametrize(
    "url",
    [
        # Where two apps' routes could match, the earlier app still wins.
        "/api/products/recommend/",  # search's fixed route over products' <uuid>
        "/api/posts/recommend/",
        "/api/posts/p/x1/similar/",
        "/api/accounts/suggestions/",  # follows', below accounts' own
        "/api/accounts/me/insights/",  # products', below accounts' own
        "/api/posts/presigned/",  # images' under posts/
        # No route: both answer 404 (the project's catch-all then answers the JSON 404).
        "/api/",
        "/api/nothing/",
        "/api/posts/",
        "/api/posts/feed",
        "/api/posts/feed/extra/",
        "/api/<x>/",
        "/api//posts/feed/",
        "/apix/posts/feed/",
        "/api/reports/not-a-uuid/",
    ],
)
def test_shared_and_unknown_paths_resolve_as_before(url: str) -> None:
    assert outcome(grouped_layout(), url) == outcome(plain_layout(), url)


def test_a_path_tries_only_its_own_group() -> None:
    resolver = api_routes(API_APPS)
    with pytest.raises(Resolver404) as missing:
        resolver.resolve("nothing/")
    assert missing.value.args[0] == {"path": "nothing/"}
    match = resolver.resolve("api/notifications/")
    assert match.route == "notifications/"  # the root adds "api/", as for any include
    assert {str(chain[0].pattern) for chain in match.tried or []} == {"notifications/"}
    # One level: the group's routes are tried written out in full, not through an include.
    match = resolver.resolve("api/posts/latest/")
    assert match.route == "posts/latest/"
    assert match.tried and all(
        len(chain) == 1 and isinstance(chain[0], URLPattern) for chain in match.tried
    )
    assert str(match.tried[-1][0].pattern) == "posts/latest/"


def test_reverse_gives_the_same_paths() -> None:
    assert reverse("product-list") == "/api/products/"
    assert reverse("product-save", kwargs={"uuid": "x1"}) == "/api/products/x1/save/"
    assert reverse("seller-insights") == "/api/accounts/me/insights/"
    assert reverse("report-mine") == "/api/reports/mine/"
    with pytest.raises(NoReverseMatch):
        reverse("product-save")


def view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError


@pytest.mark.parametrize(
    "entry",
    [
        re_path(r"^posts/$", view),  # a regex: its first segment is not known
        path("posts/", include([path("a/", view)])),  # an include inside an app
        path("<str:kind>/feed/", view),  # a converter as the first segment
        path("posts", view),  # no segment at all
    ],
)
def test_a_route_that_cannot_be_grouped_is_refused(
    entry: URLPattern | URLResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("fake_urls")
    module.urlpatterns = [path("ok/", view), entry]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_urls", module)
    with pytest.raises(ImproperlyConfigured, match="fake_urls"):
        api_routes([("", "fake_urls")])


def test_the_project_mounts_the_grouped_resolver() -> None:
    root = import_module("tangerine.config.urls").urlpatterns
    assert sum(isinstance(p, FirstSegmentResolver) for p in root) == 1
