"""Routes of the search app under /api/.

config/urls.py includes this module before posts.urls and products.urls, so the fixed
``products/recommend/`` and ``posts/recommend/`` routes here are not read as a uuid by their
``products/<uuid>/`` patterns; the ``.../similar/`` routes have two segments and never clash.
"""

from django.urls import URLPattern, URLResolver, path

from tangerine.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("events/", views.EventsView.as_view(), name="search-events"),
    path("posts/recommend/", views.PostRecommendView.as_view(), name="posts-recommend"),
    path("products/recommend/", views.ProductRecommendView.as_view(), name="product-recommend"),
    path("posts/p/<str:uuid>/similar/", views.PostSimilarView.as_view(), name="post-similar"),
    path(
        "products/<str:uuid>/similar/",
        views.ProductSimilarView.as_view(),
        name="product-similar",
    ),
]
