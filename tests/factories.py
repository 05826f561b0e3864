"""The one home of test data: one factory per model, used by every test package.

Plain rows come from factory_boy (``UserFactory``, ``ImageFactory``, ``ProductFactory``). Content
whose creation keeps counters (posts, comments, replies) or needs several rows (rooms, chat
messages, reports) comes from the ``make_*`` functions below. They write rows straight through the
ORM, so no notification, realtime event or rate limit fires unless a test calls the service
itself, but they keep what the services keep: tags normalised, ``comment_count`` and
``reply_count`` true, and the search index told (a no-op unless ``SEARCH_INDEX_SYNC`` is on).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import factory
from django.db.models import F

from tangerine.accounts.models import User
from tangerine.chats import services as chat_services
from tangerine.chats.models import Membership, Message, Room
from tangerine.images.models import Image
from tangerine.posts.models import Comment, Post, Reply, Tag
from tangerine.posts.services import tags_normalise
from tangerine.products.models import Product
from tangerine.reports.models import Report
from tangerine.search import services as search_services

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _save_if_created(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    # skip_postgeneration_save leaves saving to us: once, after the password is set.
    if create:
        user.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    handle = factory.Sequence(lambda n: f"user_{n}")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)
    _save = factory.PostGeneration(_save_if_created)


class ImageFactory(factory.django.DjangoModelFactory[Image]):
    """A processed image row (its variant files are not written: enough for attaching)."""

    class Meta:
        model = Image

    uuid = factory.LazyFunction(uuid.uuid4)
    owner = factory.SubFactory(UserFactory)
    status = Image.Status.READY
    content_type = "image/jpeg"
    size = 12345
    key = factory.LazyAttribute(lambda o: f"uploads/{o.owner.uuid}/{o.uuid}")
    width = 1600
    height = 1200
    variants = factory.LazyAttribute(
        lambda o: [
            {"key": f"images/{o.uuid}/1080w.jpg", "width": 1080, "height": 810, "format": "jpeg"},
            {"key": f"images/{o.uuid}/320w.jpg", "width": 320, "height": 240, "format": "jpeg"},
        ]
    )


def _index_product(product: Product, create: bool, extracted: object, **kwargs: object) -> None:
    # ``ProductFactory.create(index=False)`` leaves the product out of the search index.
    if create and extracted is not False:
        search_services.product_changed(product_id=product.pk)


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"제주 감귤 {n}kg")
    description = "Sweet tangerines from Jeju."
    price = 12900
    currency = "KRW"
    link = factory.Sequence(lambda n: f"https://shop.example.com/items/{n}")
    index = factory.PostGeneration(_index_product)


def make_post(
    author: User,
    text: str = "오늘의 기록 today",
    *,
    title: str = "",
    tags: Iterable[str] = (),
    status: str = Post.Status.PUBLISHED,
    index: bool = True,
    **fields: Any,
) -> Post:
    """A post with normalised ``tags``; ``fields`` are any other model fields (``like_count``).

    ``index=False`` keeps it out of the search index (to test catching up later).
    """
    post = Post.objects.create(author=author, title=title, text=text, status=status, **fields)
    names = tags_normalise(tags)
    if names:
        post.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    if index:
        search_services.post_changed(post_id=post.pk)
    return post


def bulk_posts(author: User, n: int, **fields: Any) -> list[Post]:
    """Many published posts in one query (no tags, no index), for query-count tests."""
    return Post.objects.bulk_create(
        [Post(author=author, text=f"post {i}", **fields) for i in range(n)]
    )


def make_comment(post: Post, author: User, text: str = "좋아요 nice") -> Comment:
    """A comment; the post's ``comment_count`` goes up as the service does it."""
    comment = Comment.objects.create(post=post, author=author, text=text)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment


def make_reply(comment: Comment, author: User, text: str = "감사 thanks") -> Reply:
    """A reply; its comment's ``reply_count`` and its post's ``comment_count`` go up."""
    reply = Reply.objects.create(comment=comment, author=author, text=text)
    Comment.objects.filter(pk=comment.pk).update(reply_count=F("reply_count") + 1)
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + 1)
    return reply


def make_room(creator: User, *others: User, name: str = "") -> Room:
    """A chat room made by the service (membership rules and sockets included)."""
    return chat_services.room_create(creator=creator, handles=[u.handle for u in others], name=name)


def make_chat_message(*, sender: User, members: list[User], text: str = "Pay me first.") -> Message:
    """A stored message (seq 1) in a new room of ``sender`` and ``members``, without sockets."""
    room = Room.objects.create(created_by=sender)
    for user in {sender, *members}:
        Membership.objects.create(room=room, user=user)
    return Message.objects.create(room=room, sender=sender, text=text, seq=1, client_id="c-1")


def make_report(
    *,
    reporter: User | None,
    target_id: int,
    target_ref: str | None = None,
    target_type: str = "post",
    reason: str = "spam",
    status: str = "pending",
    created_at: datetime | None = None,
    closed_at: datetime | None = None,
    target_user: User | None = None,
    **fields: Any,
) -> Report:
    """A report row with chosen timestamps (for statistics and list sizes)."""
    fields.setdefault("evidence", {"text": "frozen"})
    report = Report.objects.create(
        reporter=reporter,
        target_type=target_type,
        target_id=target_id,
        target_ref=str(target_id) if target_ref is None else target_ref,
        target_user=target_user,
        reason=reason,
        status=status,
        closed_at=closed_at,
        **fields,
    )
    if created_at is not None:  # created_at is auto_now_add: set it afterwards
        Report.objects.filter(pk=report.pk).update(created_at=created_at)
        report.created_at = created_at
    return report
