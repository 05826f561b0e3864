"""Comment and reply writes. ``post.comment_count`` counts comments and replies together.

Every counter changes with ``F()`` in the same transaction as the row. A comment row is locked
(``select_for_update``) while a reply is added or the comment is deleted, so the number of
replies removed with a comment is exact even when someone replies at the same moment.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.posts import hooks
from tangerine.posts.models import Comment, Post, Reply
from tangerine.posts.services.mentions import mentions_sync


def comment_qs_select_for_update(*, pk: int) -> Comment:
    """Lock the comment row (call inside a transaction); 404 if it was deleted meanwhile."""
    comment = Comment.objects.select_for_update().filter(pk=pk).first()
    if comment is None:
        raise Http404
    return comment


@transaction.atomic
def comment_create(*, post: Post, author: User, text: str) -> Comment:
    """Comment on ``post`` (the caller checked the author may see it)."""
    comment = Comment(post=post, author=author, text=text)
    comment.full_clean(exclude=["post", "author"])
    comment.save()
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    hooks.comment_created.send(hooks.CommentCreated(comment=comment))
    mentions_sync(target=comment, author=author)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, text: str) -> Comment:
    """Change the text; ``edited_at`` is set when it differs, and mentions follow the text."""
    if text == comment.text:
        return comment
    comment.text = text
    comment.edited_at = timezone.now()
    comment.full_clean(exclude=["post", "author"])
    comment.save(update_fields=["text", "edited_at", "updated_at"])
    mentions_sync(target=comment, author=comment.author)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Delete the comment and its replies; the post's count drops by all of them."""
    locked = comment_qs_select_for_update(pk=comment.pk)
    removed = 1 + Reply.objects.filter(comment=locked).count()
    locked.delete()
    Post.objects.filter(pk=locked.post_id).update(comment_count=F("comment_count") - removed)


@transaction.atomic
def reply_create(*, comment: Comment, author: User, text: str) -> Reply:
    """Reply to ``comment`` (the caller checked the author may see it)."""
    locked = comment_qs_select_for_update(pk=comment.pk)
    reply = Reply(comment=locked, author=author, text=text)
    reply.full_clean(exclude=["comment", "author"])
    reply.save()
    Comment.objects.filter(pk=locked.pk).update(reply_count=F("reply_count") + 1)
    Post.objects.filter(pk=locked.post_id).update(comment_count=F("comment_count") + 1)
    hooks.reply_created.send(hooks.ReplyCreated(reply=reply))
    mentions_sync(target=reply, author=author)
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, text: str) -> Reply:
    """As ``comment_update``: ``edited_at`` on a changed text, mentions follow the text."""
    if text == reply.text:
        return reply
    reply.text = text
    reply.edited_at = timezone.now()
    reply.full_clean(exclude=["comment", "author"])
    reply.save(update_fields=["text", "edited_at", "updated_at"])
    mentions_sync(target=reply, author=reply.author)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply) -> None:
    locked = comment_qs_select_for_update(pk=reply.comment_id)
    deleted, _ = Reply.objects.filter(pk=reply.pk).delete()
    if deleted:
        Comment.objects.filter(pk=locked.pk).update(reply_count=F("reply_count") - 1)
        Post.objects.filter(pk=locked.post_id).update(comment_count=F("comment_count") - 1)
