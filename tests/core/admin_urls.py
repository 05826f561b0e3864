"""The project's routes with the admin mounted at admin/, for tests (``pytest.mark.urls``).

The test settings are production-like: ADMIN_URL is unset there, so no admin is mounted.
"""

from tangerine.config.urls import build_urlpatterns

urlpatterns = build_urlpatterns(admin_url="admin/")
