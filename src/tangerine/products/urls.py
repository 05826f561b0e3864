from django.urls import URLPattern, URLResolver, path

from tangerine.products import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("products/", views.ProductListCreateView.as_view(), name="product-list"),
    path("products/preview/", views.ProductPreviewView.as_view(), name="product-preview"),
    path(
        "products/latest/<str:handle>/",
        views.ProductLatestForUserView.as_view(),
        name="product-latest-for-user",
    ),
    path("products/<str:uuid>/", views.ProductDetailView.as_view(), name="product-detail"),
]
