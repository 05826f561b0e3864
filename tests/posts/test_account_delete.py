from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.follows.models import Follow
from tangerine.follows.services import follow_create
from tangerine.posts import services
from tangerine.posts.models import Comment, Post, PostLike, Reply
from tests.factories import make_comment, make_post, make_reply
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def test_deleting_an_account_removes_its_content_and_fixes_others_counters(
    alice: User, bob: User, carol: User, as_user: AsUser
) -> None:
    alices = make_post(alice, text="alice's")
    carols = make_post(carol, text="carol's")
    bobs = make_post(bob, text="bob's")
    # bob's activity on other people's content
    services.like_create(kind=services.POST, user=bob, target=alices)
    services.like_create(kind=services.POST, user=carol, target=alices)
    bob_comment = make_comment(alices, bob)
    make_reply(bob_comment, carol)  # someone else's reply under bob's comment
    make_reply(bob_comment, bob)
    carol_comment = make_comment(carols, carol)
    bob_reply = make_reply(carol_comment, bob)
    make_reply(carol_comment, alice)
    services.like_create(kind=services.COMMENT, user=bob, target=carol_comment)
    services.like_create(kind=services.REPLY, user=bob, target=make_reply(carol_comment, carol))
    services.like_create(kind=services.REPLY, user=alice, target=bob_reply)
    # and on his own post
    make_comment(bobs, alice)
    services.like_create(kind=services.POST, user=carol, target=bobs)
    follow_create(follower=bob, followee=alice)
    follow_create(follower=carol, followee=bob)

    assert as_user(carol).delete("/api/accounts/users/bob/").status_code == 403
    deleted = as_user(bob).delete("/api/accounts/users/bob/", {"current_password": PASSWORD})
    assert deleted.status_code == 204

    alices.refresh_from_db()
    carols.refresh_from_db()
    carol_comment.refresh_from_db()
    alice.refresh_from_db()
    carol.refresh_from_db()
    assert not Post.objects.filter(pk=bobs.pk).exists()
    assert not Comment.objects.filter(author__handle="bob").exists()
    assert not Reply.objects.filter(author__handle="bob").exists()
    assert not PostLike.objects.filter(user__handle="bob").exists()
    assert not Follow.objects.filter(follower__handle="bob").exists()
    # every stored counter equals the rows that remain
    assert alices.like_count == 1 == alices.likes.count()
    assert alices.comment_count == 0
    assert carol_comment.reply_count == 2 == carol_comment.replies.count()
    assert carol_comment.like_count == 0
    assert carols.comment_count == 3
    for reply in carol_comment.replies.all():
        assert reply.like_count == reply.likes.count()
    assert (alice.follower_count, carol.following_count) == (0, 0)
    for post in Post.objects.all():
        assert post.comment_count == (
            Comment.objects.filter(post=post).count()
            + Reply.objects.filter(comment__post=post).count()
        )
