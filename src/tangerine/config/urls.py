"""HTTP routes. Each app's urls.py owns its full prefixes below /api/ (see SPEC.md).

The admin is mounted only when ``ADMIN_URL`` is set (development mounts it at ``admin/``), and
its login goes through the project's atomic limiter. Every other path under ``/api/`` that no
app claims answers the JSON 404, also with ``DEBUG`` on (Django skips ``handler404`` then).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from django.urls.resolvers import ResolverMatch, RoutePattern
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.exceptions import Throttled

from tangerine.core import ratelimit
from tangerine.core.errors import json_404
from tangerine.core.metrics import metrics_view
from tangerine.core.views import health

handler400 = "tangerine.core.errors.json_400"
handler403 = "tangerine.core.errors.json_403"
handler404 = "tangerine.core.errors.json_404"
handler500 = "tangerine.core.errors.json_500"


@csrf_exempt  # nothing here to protect: any method on an unknown path is a 404, not a CSRF 403
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """The JSON 404 for any ``/api/`` path no app claims (registered last).

    A GET without the trailing slash still redirects to the real endpoint (APPEND_SLASH), as it
    did before this catch-all made every ``/api/`` path "valid" for CommonMiddleware.
    """
    path_info = request.path_info
    if settings.APPEND_SLASH and not path_info.endswith("/") and request.method in {"GET", "HEAD"}:
        try:
            match = resolve(f"{path_info}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return json_404(request)


@never_cache
@csrf_protect
def admin_login(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The admin's login, with the same atomic limiter as the API login (per address, account)."""
    if request.method == "POST":
        username = str(request.POST.get("username", "")).strip().lower()
        try:
            ratelimit.enforce(
                scope="admin_login",
                keys=[
                    f"addr:{ratelimit.client_address(request)}",
                    f"user:{username}" if username else "",
                ],
            )
        except Throttled as exc:
            response = JsonResponse(
                {"code": "throttled", "detail": "Too many login attempts. Try again later."},
                status=429,
            )
            response["Retry-After"] = str(int(getattr(exc, "wait", None) or 60))
            return response
    return admin.site.login(request, **kwargs)


# Each app's routes below /api/: (the app's prefix, its urls module). Where two routes could
# match one path, the app listed first wins.
API_APPS = [
    ("accounts/", "tangerine.accounts.urls"),
    # Before posts and products: its fixed routes (products/recommend/) win over <uuid>.
    ("", "tangerine.search.urls"),
    ("", "tangerine.posts.urls"),
    ("", "tangerine.follows.urls"),
    ("", "tangerine.products.urls"),
    ("", "tangerine.images.urls"),
    ("", "tangerine.chats.urls"),
    ("", "tangerine.reports.urls"),
    ("", "tangerine.notifications.urls"),
]


class FirstSegmentResolver(URLResolver):
    """An include of includes, one per literal first segment, that tries only the one a path's
    first segment names (or none): a dict lookup instead of a walk through every group.

    Each group resolves through Django's own ``URLResolver`` (under the same prefix) over its
    routes written out in full (``posts/latest/``), one level instead of an include in an
    include (two ``ResolverMatch`` merges fewer: resolving ``/api/posts/latest/`` took 20 µs in
    a loop, 14 µs so; issue 17). The match, its route and its names are what the plain include
    of that group would give (no include here has a namespace; each route keeps its own default
    arguments), and ``reverse()`` walks ``url_patterns``, the includes, as for any include.
    """

    def __init__(self, route: str, groups: dict[str, list[URLPattern]]) -> None:
        includes = [path(f"{head}/", include(patterns)) for head, patterns in groups.items()]
        super().__init__(RoutePattern(route), includes)
        self._by_head = {
            head: URLResolver(
                RoutePattern(route),
                [path(f"{head}/{p.pattern}", p.callback, p.default_args, p.name) for p in patterns],
            )
            for head, patterns in groups.items()
        }

    def resolve(self, path: str) -> ResolverMatch:
        path = str(path)
        match = self.pattern.match(path)
        if match:
            group = self._by_head.get(match[0].partition("/")[0])
            if group is not None:
                return group.resolve(path)
        raise Resolver404({"path": path})


def api_routes(apps: list[tuple[str, str]]) -> URLResolver:
    """The apps' routes under ``/api/``, grouped by their first path segment (``posts``).

    Django tries an urlconf's entries in order, and an include with no match for a path first
    tries each of its routes and records them: with one ``api/`` include per app, resolving
    ``/api/notifications/`` tried every app's routes before it (~140 µs of a request's CPU,
    against ~7 µs for a route listed first; issue 17). Grouped by their literal first segment,
    a path tries only the routes that can match it. Within a segment the apps keep the order
    of ``apps``, so the same route wins as before, with the same name and the same joined
    route (the metrics' label).
    """
    groups: dict[str, list[URLPattern]] = {}
    for prefix, module in apps:
        for pattern in import_module(module).urlpatterns:
            route = prefix + str(pattern.pattern)
            head, slash, rest = route.partition("/")
            if not (
                isinstance(pattern, URLPattern)
                and isinstance(pattern.pattern, RoutePattern)
                and slash
                and head
                and "<" not in head
            ):
                raise ImproperlyConfigured(
                    f"{module}: {route!r} is not a path() under a literal first segment"
                )
            groups.setdefault(head, []).append(
                path(rest, pattern.callback, pattern.default_args, pattern.name)
            )
    return FirstSegmentResolver("api/", groups)


def build_urlpatterns(*, admin_url: str | None) -> list[URLPattern | URLResolver]:
    """The project's routes; the admin only under ``admin_url`` (None: no admin at all)."""
    patterns: list[URLPattern | URLResolver] = []
    if admin_url:
        prefix = admin_url.strip("/") + "/"
        patterns += [
            path(f"{prefix}login/", admin_login, name="admin-login-limited"),
            path(prefix, admin.site.urls),
        ]
    patterns += [
        path("metrics", metrics_view),
        path("api/health/", health),
        path("api/health/", include("tangerine.config.health")),  # live, ready
        path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
        path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema")),
        path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="schema")),
        api_routes(API_APPS),
    ]
    if settings.SERVE_MEDIA:
        # Development only: production serves variants from object storage or a CDN.
        patterns.append(
            re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
        )
    # Last: whatever no app claimed under /api/ (and /api itself).
    patterns.append(re_path(r"^api(?:/(?P<rest>.*))?$", api_not_found))
    return patterns


urlpatterns = build_urlpatterns(admin_url=settings.ADMIN_URL)
