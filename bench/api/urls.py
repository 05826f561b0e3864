"""The project's routes, with the plain-Django peer of each benchmarked endpoint under /peer/."""

from django.urls import URLPattern, URLResolver, path

from bench.api import peer
from tangerine.config.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("peer/posts/feed/", peer.feed),
    path("peer/posts/latest/", peer.latest),
    path("peer/posts/p/<str:uuid>/", peer.post_detail),
    path("peer/comments/", peer.comments),
    path("peer/products/", peer.products),
    path("peer/notifications/", peer.notifications),
    *project_urlpatterns,
]
