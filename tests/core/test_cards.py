"""Serializers with a card, and lists rendered by it (core/cards.py): the same answer as DRF's
list serializer, without building serializers; a subclass with fields of its own keeps DRF's
field walk. (Each card equals its declared fields: tests/posts/test_cards.py and friends.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from tangerine.accounts.models import User
from tangerine.core.cards import CardListMixin, card_data, card_list, card_of
from tangerine.notifications import services as notification_services
from tangerine.notifications.serializers import NotificationSerializer, notification_card
from tangerine.posts import selectors
from tangerine.posts.serializers import (
    CommentSerializer,
    PostSerializer,
    ReplySerializer,
    comment_card,
    post_card,
    reply_card,
)
from tangerine.products.serializers import ProductSerializer, product_card
from tests.factories import make_comment, make_post

pytestmark = pytest.mark.django_db


class PostWithLength(PostSerializer):
    """A subclass with a field of its own: the parent's card does not know it."""

    length = serializers.SerializerMethodField()

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "length"]

    def get_length(self, post: Any) -> int:
        return len(post.text)


def test_each_serializer_declares_its_own_card() -> None:
    assert card_of(PostSerializer) is post_card
    assert card_of(CommentSerializer) is comment_card
    assert card_of(ReplySerializer) is reply_card
    assert card_of(ProductSerializer) is product_card
    assert card_of(NotificationSerializer) is notification_card
    assert card_of(PostWithLength) is None  # inherited cards are not used
    assert card_of(serializers.Serializer) is None


def test_a_page_by_its_card_equals_drfs_list(alice: User, bob: User) -> None:
    for i in range(3):
        make_post(alice, text=f"@bob 감귤 {i}", tags=["귤"])
    make_comment(make_post(bob), alice)
    page = list(selectors.post_page_latest(viewer=bob).order_by("-created_at", "-id")[:20])
    assert len(page) == 4
    render = JSONRenderer().render  # the same bytes: values and key order
    assert render(card_list(PostSerializer, page)) == render(PostSerializer(page, many=True).data)
    assert card_list(PostSerializer, None) == PostSerializer(None, many=True).data == []


def test_a_subclass_with_fields_of_its_own_keeps_drfs_walk(alice: User) -> None:
    post = make_post(alice, text="다섯 글자")
    one = PostWithLength(post).data
    assert one["length"] == 5
    assert {k: v for k, v in one.items() if k != "length"} == post_card(post)
    assert card_list(PostWithLength, [post]) == [one]


def _serializers_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the serializers built from now on, in order."""
    built: list[str] = []
    original = serializers.BaseSerializer.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(serializers.BaseSerializer, "__init__", counting)
    return built


def test_list_endpoints_build_no_serializer(
    alice: User, bob: User, make_product: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The saving itself: a page of posts, comments, products or notifications is rendered by
    cards alone."""
    make_product(owner=alice)
    post = make_post(alice)
    make_comment(post, bob)
    notification_services.notify_post_liked(user=bob, post=post)
    paths = [
        "/api/posts/latest/",
        f"/api/comments/?post={post.uuid}",
        "/api/products/?sort=latest",
        "/api/notifications/",
    ]
    client = APIClient()
    client.force_authenticate(alice)
    for path in paths:  # first use: URL modules import and build their own serializers
        assert client.get(path).status_code == 200
    built = _serializers_built(monkeypatch)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        assert response.data["results"], path
    # The product list validates its query with an input serializer; nothing renders rows.
    assert built == ["ProductListQuerySerializer"]


def test_detail_endpoints_build_no_serializer(
    alice: User, bob: User, make_product: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post, a comment and a product are rendered by their cards too, with DRF's answer."""
    product = make_product(owner=alice)
    post = make_post(alice, text="@bob 감귤", tags=["귤"])
    comment = make_comment(post, bob)
    paths = [
        f"/api/posts/p/{post.uuid}/",
        f"/api/comments/{comment.uuid}/",
        f"/api/products/{product.uuid}/",
    ]
    client = APIClient()
    client.force_authenticate(alice)
    for path in paths:
        assert client.get(path).status_code == 200
    built = _serializers_built(monkeypatch)
    answers = {path: client.get(path) for path in paths}
    assert built == []
    monkeypatch.undo()
    for path in paths:
        assert answers[path].status_code == 200, (path, answers[path].content)
        assert answers[path].data["uuid"] in path
    fresh = selectors.post_get(viewer=alice, uuid=post.uuid)
    render = JSONRenderer().render
    assert render(card_data(PostSerializer, fresh)) == render(PostSerializer(fresh).data)
    assert card_data(PostWithLength, fresh) == PostWithLength(fresh).data  # no card: DRF's


class HandleWithPath(serializers.Serializer[Any]):
    """No card, and a field that reads the serializer's context."""

    handle = serializers.CharField()
    asked = serializers.SerializerMethodField()

    def get_asked(self, user: Any) -> str:
        return str(self.context["request"].path)


def test_a_list_view_without_a_card_is_drfs_list_with_its_context(alice: User, bob: User) -> None:
    class Handles(CardListMixin, ListAPIView[User]):
        serializer_class = HandleWithPath
        permission_classes = [AllowAny]
        pagination_class = None

        def get_queryset(self) -> Any:
            return User.objects.filter(pk__in=[alice.pk, bob.pk]).order_by("handle")

    response = Handles.as_view()(APIRequestFactory().get("/handles/"))
    assert response.status_code == 200
    assert response.data == [
        {"handle": "alice", "asked": "/handles/"},
        {"handle": "bob", "asked": "/handles/"},
    ]
