"""Routes of the search app under /api/.

config/urls.py includes posts.urls and products.urls before this module; their patterns
(``posts/p/<uuid>/``, ``products/<uuid>/``) take a single path segment, so they never shadow the
``.../similar/`` routes below.
"""

from django.urls import URLPattern, URLResolver, path

from tangerine.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("events/", views.EventsView.as_view(), name="search-events"),
    path("posts/recommend/", views.PostRecommendView.as_view(), name="posts-recommend"),
    path("posts/p/<str:uuid>/similar/", views.PostSimilarView.as_view(), name="post-similar"),
    path(
        "products/<str:uuid>/similar/",
        views.ProductSimilarView.as_view(),
        name="product-similar",
    ),
]
