"""Cards built by plain functions answer exactly what DRF's declared fields answer.

``PostSerializer``, ``CommentSerializer``, ``ReplySerializer`` and ``UserBriefSerializer``
build their output directly (``to_representation``); their declared fields stay for the schema.
Here every such card is rendered both ways, DRF's generic walk over the declared fields
(``ModelSerializer.to_representation``) and the direct one, and the two must be equal as data
and as the bytes DRF's renderer writes: drafts, hidden posts, blank titles and categories,
ready and pending images, profile images, mentions, tags, ``liked`` missing or annotated, a
fresh instance holding enum members, and edited comments and replies.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from tangerine.accounts.models import Block, User
from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.images.models import Image
from tangerine.posts import selectors
from tangerine.posts.cards import mentions_of
from tangerine.posts.models import (
    Category,
    Comment,
    Mention,
    Post,
    PostImage,
    PostLike,
    PostTag,
    Reply,
    Tag,
)
from tangerine.posts.serializers import CommentSerializer, PostSerializer, ReplySerializer
from tests.factories import ImageFactory, UserFactory, make_comment, make_post, make_reply
from tests.support.cards import assert_card_is_the_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(alice: User, bob: User, carol: User) -> dict[str, Any]:
    alice.profile_image = ImageFactory.create(owner=alice)
    alice.save(update_fields=["profile_image"])
    pending = ImageFactory.create(owner=alice, status=Image.Status.PENDING, variants=[])
    ready = ImageFactory.create(owner=alice)
    rich = make_post(
        alice, title="첫 글", text="@bob @carol 님 감귤 🍊", tags=["#Daily", "귤"], category="food"
    )
    PostImage.objects.create(post=rich, image=ready, position=0)
    PostImage.objects.create(post=rich, image=pending, position=1)
    Mention.objects.create(post=rich, user=bob, position=0)
    Mention.objects.create(post=rich, user=carol, position=1)
    draft = make_post(alice, title="", text="draft", status=Post.Status.DRAFT)
    hidden = make_post(alice, text="hidden")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    comment = make_comment(rich, bob, text="@alice 좋아요")
    Comment.objects.filter(pk=comment.pk).update(edited_at=timezone.now())
    reply = make_reply(comment, carol)
    return {"posts": [rich, draft, hidden], "comment": comment, "reply": reply}


def test_post_cards_equal_the_declared_fields(
    alice: User, bob: User, mod: User, cards: Any
) -> None:
    pks = [post.pk for post in cards["posts"]]
    seen = 0
    for viewer in (alice, bob, mod, None):
        # Through the selector: prefetched tags, images, mentions and ``liked``.
        for post in selectors.post_qs(viewer=viewer).filter(pk__in=pks):
            assert_card_is_the_fields(PostSerializer, post)
            seen += 1
    assert seen == 2 + 1 + 2 + 1  # alice: her draft too; staff: the hidden post too
    for pk in pks:  # bare rows: no annotation, relations read on demand
        assert_card_is_the_fields(PostSerializer, Post.objects.get(pk=pk))


def test_a_fresh_instance_with_enum_members_renders_the_same(alice: User) -> None:
    post = make_post(alice, text="fresh", category=Category.FOOD, status=Post.Status.PUBLISHED)
    post.category = Category.FOOD
    post.status = Post.Status.PUBLISHED
    assert_card_is_the_fields(PostSerializer, post)
    blank = make_post(alice, text="blank category")
    blank.category = ""
    assert_card_is_the_fields(PostSerializer, blank)


def test_comment_and_reply_cards_equal_the_declared_fields(
    alice: User, bob: User, cards: Any
) -> None:
    for viewer in (alice, bob, None):
        comment = selectors.comment_get(viewer=viewer, uuid=cards["comment"].uuid)
        assert_card_is_the_fields(CommentSerializer, comment)
        reply = selectors.reply_get(viewer=viewer, uuid=cards["reply"].uuid)
        assert_card_is_the_fields(ReplySerializer, reply)
    assert_card_is_the_fields(CommentSerializer, Comment.objects.get(pk=cards["comment"].pk))
    assert_card_is_the_fields(ReplySerializer, Reply.objects.get(pk=cards["reply"].pk))


def test_user_briefs_equal_the_declared_fields(alice: User, bob: User, cards: Any) -> None:
    for user in (User.objects.get(pk=alice.pk), User.objects.get(pk=bob.pk)):
        assert_card_is_the_fields(UserBriefSerializer, user)
    assert UserBriefSerializer(User.objects.get(pk=alice.pk)).data["profile_image"]["variants"]


def _with_prefetches(viewer: Any) -> Any:
    """``selectors.post_qs`` as it was before the card columns: three prefetch queries."""
    return (
        Post.objects.visible_to(viewer)
        .select_related("author__profile_image")
        .prefetch_related(*selectors.post_prefetches(viewer))
        .annotate(liked=selectors.liked_by(PostLike, "post", viewer))
    )


def test_card_columns_answer_what_the_three_prefetches_answered(
    alice: User, bob: User, carol: User, mod: User
) -> None:
    """Tags, images and mentions from the post's own row (``posts.cards``) equal the three
    prefetches they replace, for every kind of viewer: tags and images in position order
    (against their ids), mentions out of the text, of a blocked, suspended or deactivated
    person left out, and none of these at all."""
    suspended = UserFactory.create(handle="suspended1", suspended_at=timezone.now())
    inactive = UserFactory.create(handle="inactive1", is_active=False)
    Block.objects.create(blocker=carol, blocked=bob)
    post = make_post(alice, text="@bob @carol @suspended1 @inactive1 감귤", title="t")
    for position, name in enumerate(["zebra", "귤", "apple"]):
        PostTag.objects.create(post=post, tag=Tag.objects.create(name=name), position=2 - position)
    first, second = ImageFactory.create(owner=alice), ImageFactory.create(owner=alice)
    PostImage.objects.create(post=post, image=first, position=1)
    PostImage.objects.create(post=post, image=second, position=0)
    pending = ImageFactory.create(owner=alice, status=Image.Status.PENDING, variants=[])
    PostImage.objects.create(post=post, image=pending, position=2)
    for position, user in enumerate([carol, bob, suspended, inactive, mod]):
        Mention.objects.create(post=post, user=user, position=position, in_text=user != mod)
    bare = make_post(bob, text="nothing attached")
    PostLike.objects.create(user=bob, post=post)
    seen = set()
    for viewer in (alice, bob, carol, mod, None):
        new = PostSerializer(selectors.post_qs(viewer=viewer).order_by("pk"), many=True).data
        old = PostSerializer(_with_prefetches(viewer).order_by("pk"), many=True).data
        assert JSONRenderer().render(new) == JSONRenderer().render(old)
        for card in new:
            seen.add((card["uuid"], tuple(m["handle"] for m in card["mentions"])))
    rich = str(post.uuid)
    # carol and bob block each other's way: neither sees the other's mention.
    assert seen == {
        (rich, ("carol", "bob")),
        (rich, ("bob",)),
        (rich, ("carol",)),
        (str(bare.uuid), ()),
    }
    card = PostSerializer(selectors.post_get(viewer=None, uuid=post.uuid)).data
    assert card["tags"] == ["apple", "귤", "zebra"]
    assert [image["uuid"] for image in card["images"]] == [
        str(second.uuid),
        str(first.uuid),
        str(pending.uuid),
    ]
    assert card["images"][0]["variants"] and card["images"][2]["variants"] == []


def test_comment_and_reply_mention_columns_answer_what_the_prefetch_answered(
    alice: User, bob: User, carol: User, mod: User
) -> None:
    suspended = UserFactory.create(handle="suspended2", suspended_at=timezone.now())
    Block.objects.create(blocker=bob, blocked=carol)
    post = make_post(alice, text="post")
    comment = make_comment(post, alice, text="@carol @bob @suspended2 @moderator1")
    reply = make_reply(comment, alice, text="@moderator1 @carol @bob")
    for position, user in enumerate([carol, bob, suspended, mod]):
        Mention.objects.create(comment=comment, user=user, position=position, in_text=True)
    for position, user in enumerate([mod, carol, bob]):
        Mention.objects.create(reply=reply, user=user, position=position, in_text=user != mod)
    seen = set()
    for viewer in (alice, bob, carol, mod, None):
        for item, qs in (
            (comment, selectors.comment_qs(viewer=viewer)),
            (reply, selectors.reply_qs(viewer=viewer)),
        ):
            new = qs.get(pk=item.pk)
            old = type(item).objects.prefetch_related(selectors.mention_prefetch(viewer))
            assert hasattr(new, "card_mentions")
            mentions = mentions_of(new)
            assert mentions == mentions_of(old.get(pk=item.pk))
            seen.add(tuple(m["handle"] for m in mentions))
    assert seen == {
        ("carol", "bob", "moderator1"),
        ("bob", "moderator1"),
        ("carol", "moderator1"),
        ("carol", "bob"),
        ("bob",),
        ("carol",),
    }
