"""Every operation of the OpenAPI schema for visitors, another user, the owner and staff.

One table says, for each operation, who may call it: ``anyone``, ``auth`` (any signed-in user;
the object's visibility and ownership rules are tested per app), ``owner`` (the author, owner or
the user themself; another user gets 403), ``member`` (a chat room's members; others get 404,
as for what does not exist), ``staff``, or ``seller`` (the owner and staff; anyone else gets 404,
as if it did not exist: a product's insights and store-link checks). A route added to the API
without a row here fails ``test_every_operation_has_a_row``, so a new endpoint cannot ship
without someone deciding who may call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.chats.models import Membership, Message, Room
from tangerine.images.models import Image
from tangerine.reports.models import Appeal, ContentHiding
from tests.factories import (
    ImageFactory,
    ProductFactory,
    make_comment,
    make_post,
    make_reply,
    make_report,
)
from tests.support.api import client_for

ANYONE, AUTH, OWNER, MEMBER, STAFF = "anyone", "auth", "owner", "member", "staff"
SELLER = "seller"

RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/accounts/export/"): AUTH,
    ("POST", "/api/accounts/google/login/"): ANYONE,
    ("POST", "/api/accounts/login/"): ANYONE,
    ("POST", "/api/accounts/logout/"): AUTH,
    ("GET", "/api/accounts/me/"): AUTH,
    ("POST", "/api/accounts/password/change/"): AUTH,
    ("POST", "/api/accounts/password/reset/"): ANYONE,
    ("POST", "/api/accounts/password/reset/confirm/"): ANYONE,
    ("POST", "/api/accounts/registration/"): ANYONE,
    ("POST", "/api/accounts/token/refresh/"): ANYONE,
    ("GET", "/api/accounts/users/"): AUTH,
    ("GET", "/api/accounts/users/{handle}/"): ANYONE,
    ("PUT", "/api/accounts/users/{handle}/"): OWNER,
    ("PATCH", "/api/accounts/users/{handle}/"): OWNER,
    ("DELETE", "/api/accounts/users/{handle}/"): OWNER,
    ("POST", "/api/accounts/users/{handle}/block/"): AUTH,
    ("DELETE", "/api/accounts/users/{handle}/block/"): AUTH,
    ("POST", "/api/accounts/users/{handle}/mute/"): AUTH,
    ("DELETE", "/api/accounts/users/{handle}/mute/"): AUTH,
    ("GET", "/api/chats/rooms/"): AUTH,
    ("POST", "/api/chats/rooms/"): AUTH,
    ("GET", "/api/chats/rooms/{uuid}/"): MEMBER,
    ("POST", "/api/chats/rooms/{uuid}/leave/"): MEMBER,
    ("POST", "/api/chats/rooms/{uuid}/members/"): MEMBER,
    ("GET", "/api/chats/rooms/{uuid}/messages/"): MEMBER,
    ("POST", "/api/chats/rooms/{uuid}/read/"): MEMBER,
    ("POST", "/api/chats/ws-ticket/"): AUTH,
    ("GET", "/api/comments/"): ANYONE,
    ("POST", "/api/comments/"): AUTH,
    ("GET", "/api/comments/{uuid}/"): ANYONE,
    ("PATCH", "/api/comments/{uuid}/"): OWNER,
    ("DELETE", "/api/comments/{uuid}/"): OWNER,
    ("GET", "/api/comments/{uuid}/replies/"): ANYONE,
    ("POST", "/api/comments/{uuid}/replies/"): AUTH,
    ("GET", "/api/comments/user/"): ANYONE,
    ("POST", "/api/events/"): ANYONE,
    ("POST", "/api/follows/"): AUTH,
    ("GET", "/api/follows/{handle}/followers/"): ANYONE,
    ("GET", "/api/follows/{handle}/follows/"): ANYONE,
    ("DELETE", "/api/follows/{handle}/unfollow/"): AUTH,
    ("DELETE", "/api/follows/{handle}/unfollower/"): AUTH,
    ("GET", "/api/images/{uuid}/"): ANYONE,
    ("POST", "/api/images/{uuid}/complete/"): OWNER,
    ("POST", "/api/images/presigned/"): AUTH,
    # Anyone may POST, but only with a valid signed grant (tests/images cover the signature).
    ("POST", "/api/images/upload/"): ANYONE,
    ("GET", "/api/likes/comment-likes/"): ANYONE,
    ("POST", "/api/likes/comment-likes/"): AUTH,
    ("GET", "/api/likes/comment-likes/{uuid}/"): ANYONE,
    ("DELETE", "/api/likes/comment-likes/{uuid}/"): AUTH,
    ("GET", "/api/likes/post-likes/"): ANYONE,
    ("POST", "/api/likes/post-likes/"): AUTH,
    ("GET", "/api/likes/post-likes/{uuid}/"): ANYONE,
    ("DELETE", "/api/likes/post-likes/{uuid}/"): AUTH,
    ("GET", "/api/likes/reply-likes/"): ANYONE,
    ("POST", "/api/likes/reply-likes/"): AUTH,
    ("GET", "/api/likes/reply-likes/{uuid}/"): ANYONE,
    ("DELETE", "/api/likes/reply-likes/{uuid}/"): AUTH,
    ("GET", "/api/notifications/"): AUTH,
    ("POST", "/api/notifications/read/"): AUTH,
    ("GET", "/api/notifications/unread-count/"): AUTH,
    ("GET", "/api/posts/feed/"): AUTH,
    ("GET", "/api/posts/latest/"): ANYONE,
    ("GET", "/api/posts/latest/{handle}/"): ANYONE,
    ("POST", "/api/posts/p/"): AUTH,
    ("GET", "/api/posts/p/{uuid}/"): ANYONE,
    ("PUT", "/api/posts/p/{uuid}/"): OWNER,
    ("PATCH", "/api/posts/p/{uuid}/"): OWNER,
    ("DELETE", "/api/posts/p/{uuid}/"): OWNER,
    ("POST", "/api/posts/presigned/"): AUTH,
    ("GET", "/api/posts/recommend/"): ANYONE,
    ("GET", "/api/posts/p/{uuid}/similar/"): ANYONE,
    ("GET", "/api/products/"): ANYONE,
    ("POST", "/api/products/"): AUTH,
    ("GET", "/api/products/{uuid}/"): ANYONE,
    ("PUT", "/api/products/{uuid}/"): OWNER,
    ("PATCH", "/api/products/{uuid}/"): OWNER,
    ("DELETE", "/api/products/{uuid}/"): OWNER,
    ("GET", "/api/products/latest/{handle}/"): ANYONE,
    ("POST", "/api/products/preview/"): AUTH,
    ("GET", "/api/products/recommend/"): ANYONE,
    ("GET", "/api/products/{uuid}/similar/"): ANYONE,
    ("GET", "/api/replies/{uuid}/"): ANYONE,
    ("PATCH", "/api/replies/{uuid}/"): OWNER,
    ("DELETE", "/api/replies/{uuid}/"): OWNER,
    ("GET", "/api/reports/"): STAFF,
    ("POST", "/api/reports/"): AUTH,
    ("GET", "/api/reports/{uuid}/"): STAFF,
    ("PATCH", "/api/reports/{uuid}/"): STAFF,
    ("GET", "/api/reports/mine/"): AUTH,
    ("GET", "/api/reports/stats/"): STAFF,
    ("GET", "/api/reports/warnings/mine/"): AUTH,
    ("GET", "/api/search/"): ANYONE,
    # Marketplace and store links (issue 14).
    ("GET", "/api/products/categories/"): ANYONE,
    ("GET", "/api/products/saved/"): AUTH,
    ("POST", "/api/products/{uuid}/save/"): AUTH,
    ("DELETE", "/api/products/{uuid}/save/"): AUTH,
    ("GET", "/api/products/{uuid}/out/"): ANYONE,
    ("POST", "/api/products/{uuid}/chat/"): AUTH,
    ("GET", "/api/products/{uuid}/insights/"): SELLER,
    ("GET", "/api/products/{uuid}/link-checks/"): SELLER,
    ("GET", "/api/accounts/me/insights/"): AUTH,
    # Social, notifications, chat and moderation (issue 15).
    ("GET", "/api/accounts/search/"): AUTH,
    ("GET", "/api/accounts/suggestions/"): AUTH,
    ("GET", "/api/accounts/google/config/"): ANYONE,
    ("GET", "/api/posts/p/"): ANYONE,
    ("GET", "/api/tags/trending/"): ANYONE,
    ("GET", "/api/notifications/preferences/"): AUTH,
    ("PATCH", "/api/notifications/preferences/"): AUTH,
    # Only one's own message; mod (a member) deletes the one mod sent.
    ("DELETE", "/api/chats/rooms/{uuid}/messages/{message}/"): MEMBER,
    ("POST", "/api/reports/appeals/"): AUTH,
    ("GET", "/api/reports/appeals/"): STAFF,
    ("GET", "/api/reports/appeals/mine/"): AUTH,
    ("GET", "/api/reports/appeals/{uuid}/"): STAFF,
    ("PATCH", "/api/reports/appeals/{uuid}/"): STAFF,
    ("GET", "/api/reports/hidden/"): AUTH,
}

# Query strings that make list endpoints answer (a post to list comments of, a search term...).
QUERY: dict[str, str] = {
    "/api/comments/": "?post={post}",
    "/api/comments/user/": "?handle=alice",
    "/api/likes/post-likes/": "?post={post}",
    "/api/likes/comment-likes/": "?comment={comment}",
    "/api/likes/reply-likes/": "?reply={reply}",
    "/api/search/": "?q=tangerine",
    "/api/accounts/search/": "?q=al",
    "/api/posts/p/": "?tag=tangerine",
    "/api/reports/hidden/": "?target_type=post&target={hidden}",
}


def _operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


@dataclass
class World:
    alice: User
    bob: User
    mod: User
    objects: dict[str, Any]

    def url(self, path: str) -> str:
        """The path with its parameters filled by alice's objects."""
        kind = next((k for k in self.objects if path.startswith(k)), None)
        filled = path.replace("{handle}", "alice")
        filled = filled.replace("{message}", str(self.objects["message"].uuid))
        if "{uuid}" in filled:
            assert kind is not None, f"no object for {path}"
            filled = filled.replace("{uuid}", str(self.objects[kind].uuid))
        query = QUERY.get(path, "").format(
            post=self.objects["/api/posts/p/"].uuid,
            comment=self.objects["/api/comments/"].uuid,
            reply=self.objects["/api/replies/"].uuid,
            hidden=self.objects["hidden"].uuid,
        )
        return filled + query


@pytest.fixture
def world(alice: User, bob: User, mod: User) -> World:
    post = make_post(alice, "제주 감귤 tangerine", title="tangerine")
    comment = make_comment(post, alice, "first")
    reply = make_reply(comment, alice, "reply")
    product = ProductFactory.create(
        owner=alice, name="tangerine jam", price=9000, link="https://shop.example.com/jam"
    )
    image = ImageFactory.create(  # an upload not yet processed
        owner=alice, status=Image.Status.PENDING, size=100, key=f"uploads/{alice.uuid}/x"
    )
    room = Room.objects.create(created_by=alice)
    Membership.objects.create(room=room, user=alice)
    Membership.objects.create(room=room, user=mod)
    report = make_report(
        reporter=mod, target_id=post.pk, target_ref=str(post.uuid), target_user=alice, evidence={}
    )
    message = Message.objects.create(room=room, sender=mod, text="hi", seq=1, client_id="m1")
    hidden = make_post(alice, "hidden by staff", title="hidden")
    hiding = ContentHiding.objects.create(
        target_type="post", target_id=hidden.pk, target_ref=str(hidden.uuid), author=alice,
        reason="spam", excerpt="hidden", hidden_at=timezone.now(),
    )  # fmt: skip
    appeal = Appeal.objects.create(hiding=hiding, author=alice, text="mine")
    objects: dict[str, Any] = {
        # Longer prefixes first: the first prefix a path starts with names its object.
        "/api/reports/appeals/": appeal,
        "/api/posts/p/": post,
        "/api/comments/": comment,
        "/api/replies/": reply,
        "/api/products/": product,
        "/api/images/": image,
        "/api/chats/rooms/": room,
        "/api/reports/": report,
        "/api/likes/post-likes/": post,
        "/api/likes/comment-likes/": comment,
        "/api/likes/reply-likes/": reply,
        "message": message,
        "hidden": hidden,
    }
    return World(alice=alice, bob=bob, mod=mod, objects=objects)


def _call(client: APIClient, method: str, url: str) -> int:
    response = getattr(client, method.lower())(url, {}, format="json")
    return int(response.status_code)


def test_every_operation_has_a_row() -> None:
    operations = _operations()
    missing = sorted(operations - set(RULES))
    stale = sorted(set(RULES) - operations)
    assert not missing, f"operations without an authorization row: {missing}"
    assert not stale, f"rows for operations that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), sorted(RULES))
def test_anonymous_visitors(world: World, method: str, path: str) -> None:
    client = APIClient()
    client.raise_request_exception = False
    status = _call(client, method, world.url(path))
    assert status < 500, f"{method} {path} crashed"
    if RULES[(method, path)] == ANYONE:
        assert status not in {401, 403}, f"{method} {path} refused a visitor: {status}"
    else:
        assert status == 401, f"{method} {path} let a visitor through: {status}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    sorted(op for op, rule in RULES.items() if rule in {OWNER, MEMBER, STAFF, SELLER}),
)
def test_another_signed_in_user(world: World, method: str, path: str) -> None:
    """bob owns nothing, is in no room and is not staff."""
    client = client_for(world.bob)
    client.raise_request_exception = False
    status = _call(client, method, world.url(path))
    expected = {OWNER: 403, MEMBER: 404, STAFF: 403, SELLER: 404}[RULES[(method, path)]]
    assert status == expected, f"{method} {path}: bob got {status}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), sorted(op for op, rule in RULES.items() if rule in {MEMBER, STAFF, SELLER})
)
def test_members_and_staff_get_through(world: World, method: str, path: str) -> None:
    """mod is staff and a member of alice's room: the gate opens (bad bodies may still 400)."""
    client = client_for(world.mod)
    client.raise_request_exception = False
    status = _call(client, method, world.url(path))
    assert status not in {401, 403, 404}, f"{method} {path}: staff/member got {status}"
    assert status < 500
