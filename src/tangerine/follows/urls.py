from django.urls import path

from tangerine.follows import views

urlpatterns = [
    # Under /api/accounts/ for clients; it lives here because it reads follows.
    path("accounts/suggestions/", views.SuggestionsView.as_view()),
    path("follows/", views.FollowCreateView.as_view()),
    path("follows/<str:handle>/follows/", views.FollowingView.as_view()),
    path("follows/<str:handle>/followers/", views.FollowersView.as_view()),
    path("follows/<str:handle>/unfollow/", views.UnfollowView.as_view()),
    path("follows/<str:handle>/unfollower/", views.RemoveFollowerView.as_view()),
]
