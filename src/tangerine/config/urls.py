"""HTTP routes. Each app's urls.py owns its full prefixes below /api/ (see SPEC.md)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from tangerine.core.views import health

handler400 = "tangerine.core.errors.json_400"
handler403 = "tangerine.core.errors.json_403"
handler404 = "tangerine.core.errors.json_404"
handler500 = "tangerine.core.errors.json_500"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/health/", health),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema")),
    path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="schema")),
    path("api/accounts/", include("tangerine.accounts.urls")),
    path("api/", include("tangerine.posts.urls")),
    path("api/", include("tangerine.follows.urls")),
    path("api/", include("tangerine.products.urls")),
    path("api/", include("tangerine.images.urls")),
    path("api/", include("tangerine.chats.urls")),
    path("api/", include("tangerine.reports.urls")),
    path("api/", include("tangerine.search.urls")),
    path("api/", include("tangerine.notifications.urls")),
]

if settings.SERVE_MEDIA:
    # Development only: production serves variants from object storage or a CDN.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
