from django.urls import URLPattern, URLResolver, path

from tangerine.images import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("images/presigned/", views.UploadGrantView.as_view(), name="image-presigned"),
    # The posts app's grant is the same grant (SPEC.md); it lives here with the images.
    path("posts/presigned/", views.PostUploadGrantView.as_view(), name="post-presigned"),
    path("images/upload/", views.LocalUploadView.as_view(), name="image-upload"),
    path("images/<str:uuid>/", views.ImageDetailView.as_view(), name="image-detail"),
    path("images/<str:uuid>/complete/", views.ImageCompleteView.as_view(), name="image-complete"),
]
