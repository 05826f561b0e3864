"""The project's routes, with the plain-Django peer of each benchmarked endpoint under /peer/."""

from django.urls import URLPattern, URLResolver, path

from bench.api import peer
from tangerine.config.urls import urlpatterns as project_urlpatterns

# The peer's routes come after the project's, as any route added to a project would: a request
# for the API then tries none of them, while the peer's requests try the project's few top-level
# routes first (the API's routes are one grouped resolver there), as the API's requests do.
urlpatterns: list[URLPattern | URLResolver] = [
    *project_urlpatterns,
    path("peer/posts/feed/", peer.feed),
    path("peer/posts/latest/", peer.latest),
    path("peer/posts/p/<str:uuid>/", peer.post_detail),
    path("peer/comments/", peer.comments),
    path("peer/products/", peer.products),
    path("peer/notifications/", peer.notifications),
    path("peer/search/", peer.search_users),
    path("peer/hello/", peer.hello),
    path("bench/hello/", peer.HelloView.as_view()),
]
