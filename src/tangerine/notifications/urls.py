from django.urls import URLPattern, URLResolver, path

from tangerine.notifications import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.NotificationListView.as_view()),
    path("notifications/unread-count/", views.UnreadCountView.as_view()),
    path("notifications/read/", views.MarkReadView.as_view()),
    path("notifications/preferences/", views.PreferencesView.as_view()),
]
