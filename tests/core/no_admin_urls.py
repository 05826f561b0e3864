"""The project's routes as production builds them by default: no ADMIN_URL, no admin."""

from tangerine.config.urls import build_urlpatterns

urlpatterns = build_urlpatterns(admin_url=None)
