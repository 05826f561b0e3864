from django.urls import path

from tangerine.accounts import views

urlpatterns = [
    path("registration/", views.RegistrationView.as_view()),
    path("login/", views.LoginView.as_view()),
    path("google/login/", views.GoogleLoginView.as_view()),
    path("google/config/", views.GoogleConfigView.as_view()),
    path("logout/", views.LogoutView.as_view()),
    path("token/refresh/", views.TokenRefreshView.as_view()),
    path("password/change/", views.PasswordChangeView.as_view()),
    path("password/reset/", views.PasswordResetView.as_view()),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view()),
    path("me/", views.MeView.as_view()),
    path("export/", views.ExportView.as_view()),
    path("search/", views.UserSearchView.as_view()),
    path("users/", views.UserListView.as_view()),
    path("users/<str:handle>/", views.UserDetailView.as_view()),
    path("users/<str:handle>/block/", views.BlockView.as_view()),
    path("users/<str:handle>/mute/", views.MuteView.as_view()),
]
