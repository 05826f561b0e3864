"""Posts, tags, comments, replies and likes.

Counters (``like_count``, ``comment_count``, ``reply_count``) are stored and changed with ``F()``
in the same transaction as the row that changes them; uniqueness constraints make likes
idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tangerine.accounts.auth import Viewer
from tangerine.accounts.visibility import filter_visible
from tangerine.core.models import BaseModel

TITLE_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 1000
TAG_MAX_LENGTH = 30
MAX_TAGS = 10
MAX_IMAGES = 10


class Category(models.TextChoices):
    DAILY = "daily", "일상"
    FASHION = "fashion", "패션"
    BEAUTY = "beauty", "뷰티"
    FOOD = "food", "푸드"
    DIGITAL = "digital", "디지털"
    HOME = "home", "리빙"
    HOBBY = "hobby", "취미"
    PETS = "pets", "반려동물"
    OTHER = "other", "기타"


class Tag(models.Model):
    """A normalised tag (lower case, no leading #, inner spaces removed)."""

    name = models.CharField(max_length=TAG_MAX_LENGTH, unique=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        return self.filter(status=Post.Status.PUBLISHED)

    def visible_to(self, viewer: Viewer) -> PostQuerySet:
        """Published posts (and the viewer's own drafts) that the viewer may see."""
        qs = self
        if viewer is not None and viewer.is_authenticated:
            qs = qs.filter(models.Q(status=Post.Status.PUBLISHED) | models.Q(author=viewer))
        else:
            qs = qs.filter(status=Post.Status.PUBLISHED)
        return filter_visible(qs, viewer=viewer, author_field="author")


class Post(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    # In the order the author typed them (``PostTag.position``).
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", through="PostTag")
    category = models.CharField(max_length=16, choices=Category.choices, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    images = models.ManyToManyField("images.Image", through="PostImage", related_name="+")
    view_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    # Comments and replies together, as users count "comments" under a post.
    comment_count = models.PositiveIntegerField(default=0)
    # Set by moderation: the post is gone for everyone but staff.
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="post_latest"),
            models.Index(fields=["author", "-created_at", "-id"], name="post_author_latest"),
            # The home feed's per-author read (``selectors._feed_author_tops``): an author's
            # newest posts everyone may see, in order, straight off the index (index-only on
            # PostgreSQL, so it stops after a page's worth of rows for each author).
            models.Index(
                fields=["author", "-created_at", "-id"],
                condition=models.Q(status="published", hidden_at__isnull=True),
                name="post_author_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:40]


class PostTag(models.Model):
    """A post's tag and its place in the author's list. The table is the one Django made for
    the plain many-to-many before tags kept their order (migration 0003)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "posts_post_tags"
        unique_together = [("post", "tag")]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.position}:{self.tag_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_images")
    image = models.ForeignKey("images.Image", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "image"], name="post_image_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.position}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, viewer: Viewer) -> CommentQuerySet:
        return filter_visible(self, viewer=viewer, author_field="author")


class Comment(BaseModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Set when an edit changes the text: the app shows "(수정됨) / edited".
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_post_order"),
            models.Index(fields=["author", "-created_at", "-id"], name="comment_author_latest"),
        ]


class ReplyQuerySet(models.QuerySet["Reply"]):
    def visible_to(self, viewer: Viewer) -> ReplyQuerySet:
        return filter_visible(self, viewer=viewer, author_field="author")


class Reply(BaseModel):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    like_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "replies"
        indexes = [
            models.Index(fields=["comment", "created_at", "id"], name="reply_comment_order"),
            models.Index(fields=["author", "-created_at", "-id"], name="reply_author_latest"),
        ]


class PostLike(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_likes"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="post_like_unique")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="post_like_user")]


class CommentLike(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique")
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="comment_like_user")]


class ReplyLike(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_likes"
    )
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "reply"], name="reply_like_unique")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="reply_like_user")]


class Mention(models.Model):
    """``user`` was mentioned (``@handle``) in one post, comment or reply (exactly one is set).

    A row stays when an edit removes the mention (``in_text`` turns False) so that mentioning the
    same person again in that item is not announced twice; only rows ``in_text`` are shown.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    # The order of first appearance in the text.
    position = models.PositiveSmallIntegerField(default=0)
    in_text = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="mention_post_user"),
            models.UniqueConstraint(fields=["comment", "user"], name="mention_comment_user"),
            models.UniqueConstraint(fields=["reply", "user"], name="mention_reply_user"),
            models.CheckConstraint(
                condition=(
                    models.Q(post__isnull=False, comment__isnull=True, reply__isnull=True)
                    | models.Q(post__isnull=True, comment__isnull=False, reply__isnull=True)
                    | models.Q(post__isnull=True, comment__isnull=True, reply__isnull=False)
                ),
                name="mention_one_target",
            ),
        ]
        indexes = [models.Index(fields=["user"], name="mention_user")]

    def __str__(self) -> str:
        return f"@{self.user_id}"
