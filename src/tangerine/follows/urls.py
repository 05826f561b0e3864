from django.urls import path

from tangerine.follows import views

urlpatterns = [
    path("follows/", views.FollowCreateView.as_view()),
    path("follows/<str:handle>/follows/", views.FollowingView.as_view()),
    path("follows/<str:handle>/followers/", views.FollowersView.as_view()),
    path("follows/<str:handle>/unfollow/", views.UnfollowView.as_view()),
    path("follows/<str:handle>/unfollower/", views.RemoveFollowerView.as_view()),
]
