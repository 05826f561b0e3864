"""Routes under /api/: posts/, comments/, replies/ and likes/ (see SPEC.md).

``/api/posts/presigned/`` and ``/api/posts/recommend/`` belong to the images and search apps.
Uuids are taken as strings and parsed by the selectors so a malformed one answers 404.
"""

from django.urls import path

from tangerine.posts.views import comments, likes, posts

urlpatterns = [
    path("posts/p/", posts.PostCreateView.as_view()),
    path("posts/p/<str:uuid>/", posts.PostDetailView.as_view()),
    path("posts/latest/", posts.PostLatestView.as_view()),
    path("posts/latest/<str:handle>/", posts.PostLatestForUserView.as_view()),
    path("posts/feed/", posts.PostFeedView.as_view()),
    path("tags/trending/", posts.TrendingTagsView.as_view()),
    path("comments/", comments.CommentListCreateView.as_view()),
    path("comments/user/", comments.CommentUserListView.as_view()),
    path("comments/<str:uuid>/", comments.CommentDetailView.as_view()),
    path("comments/<str:uuid>/replies/", comments.CommentRepliesView.as_view()),
    path("replies/<str:uuid>/", comments.ReplyDetailView.as_view()),
    path("likes/post-likes/", likes.PostLikeListCreateView.as_view()),
    path("likes/post-likes/<str:uuid>/", likes.PostLikeDetailView.as_view()),
    path("likes/comment-likes/", likes.CommentLikeListCreateView.as_view()),
    path("likes/comment-likes/<str:uuid>/", likes.CommentLikeDetailView.as_view()),
    path("likes/reply-likes/", likes.ReplyLikeListCreateView.as_view()),
    path("likes/reply-likes/<str:uuid>/", likes.ReplyLikeDetailView.as_view()),
]
