from django.urls import URLPattern, URLResolver, path

from tangerine.products import market_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("products/", views.ProductListCreateView.as_view(), name="product-list"),
    path("products/preview/", views.ProductPreviewView.as_view(), name="product-preview"),
    path(
        "products/categories/",
        market_views.CategoryListView.as_view(),
        name="product-categories",
    ),
    path("products/saved/", market_views.ProductSavedListView.as_view(), name="product-saved"),
    path("products/<str:uuid>/save/", market_views.ProductSaveView.as_view(), name="product-save"),
    path(
        "products/<str:uuid>/out/",
        market_views.ProductClickOutView.as_view(),
        name="product-click-out",
    ),
    path(
        "products/<str:uuid>/insights/",
        market_views.ProductInsightsView.as_view(),
        name="product-insights",
    ),
    # Under accounts/ in the API, but about products: accounts (below products) cannot route
    # to it, and its include has no pattern matching this path, so it falls through to here.
    path(
        "accounts/me/insights/",
        market_views.SellerInsightsView.as_view(),
        name="seller-insights",
    ),
    path(
        "products/latest/<str:handle>/",
        views.ProductLatestForUserView.as_view(),
        name="product-latest-for-user",
    ),
    path(
        "products/<str:uuid>/link-checks/",
        views.ProductLinkChecksView.as_view(),
        name="product-link-checks",
    ),
    path("products/<str:uuid>/", views.ProductDetailView.as_view(), name="product-detail"),
]
