from django.urls import URLPattern, URLResolver, path

from tangerine.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("events/", views.EventsView.as_view(), name="search-events"),
    path("posts/recommend/", views.PostRecommendView.as_view(), name="posts-recommend"),
]
