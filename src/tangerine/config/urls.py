"""HTTP routes. Each app's urls.py owns its full prefixes below /api/ (see SPEC.md).

The admin is mounted only when ``ADMIN_URL`` is set (development mounts it at ``admin/``), and
its login goes through the project's atomic limiter. Every other path under ``/api/`` that no
app claims answers the JSON 404, also with ``DEBUG`` on (Django skips ``handler404`` then).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
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
        path("api/accounts/", include("tangerine.accounts.urls")),
        # Before posts and products: its fixed routes (products/recommend/) win over <uuid>.
        path("api/", include("tangerine.search.urls")),
        path("api/", include("tangerine.posts.urls")),
        path("api/", include("tangerine.follows.urls")),
        path("api/", include("tangerine.products.urls")),
        path("api/", include("tangerine.images.urls")),
        path("api/", include("tangerine.chats.urls")),
        path("api/", include("tangerine.reports.urls")),
        path("api/", include("tangerine.notifications.urls")),
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
