"""Filing reports: every kind of target, frozen evidence, and clear 4xx answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.images.models import Image
from tangerine.posts.models import Post, PostImage
from tangerine.reports.models import AuditLog, Report
from tests.factories import (
    ImageFactory,
    ProductFactory,
    make_chat_message,
    make_comment,
    make_post,
    make_reply,
)
from tests.support.api import REPORTS

pytestmark = pytest.mark.django_db


def test_reporting_a_post_returns_the_contract_shape_and_logs_it(
    file_report: Callable[..., Any], bob: User, alice_post: Post
) -> None:
    response = file_report(bob, "post", alice_post.uuid, reason="scam", description="Fake shop")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"uuid", "target_type", "target", "reason", "status", "created_at"} <= set(body)
    assert body["target_type"] == "post"
    assert body["target"] == str(alice_post.uuid)
    assert body["reason"] == "scam"
    assert body["status"] == "pending"
    report = Report.objects.get(uuid=body["uuid"])
    assert report.reporter == bob
    assert report.target_user == alice_post.author
    log = list(AuditLog.objects.filter(report=report).values_list("action", "to_status"))
    assert log == [("created", "pending")]


def test_post_evidence_survives_edit_and_deletion(
    file_report: Callable[..., Any],
    bob: User,
    alice: User,
    mod: User,
    as_user: Callable[[User], APIClient],
) -> None:
    post = make_post(author=alice, title="Original title", text="Original words")
    image = ImageFactory.create(
        owner=alice,
        status=Image.Status.READY,
        content_type="image/jpeg",
        size=1234,
        key="uploads/orig-1",
        width=1080,
        height=720,
        variants=[{"key": "v/1080.jpg", "width": 1080, "height": 720, "format": "jpeg"}],
    )
    PostImage.objects.create(post=post, image=image, position=0)
    report_uuid = file_report(bob, "post", post.uuid).json()["uuid"]

    Post.objects.filter(pk=post.pk).update(title="Edited", text="Nothing to see")
    post.delete()

    detail = as_user(mod).get(f"{REPORTS}{report_uuid}/").json()
    evidence = detail["evidence"]
    assert evidence["title"] == "Original title"
    assert evidence["text"] == "Original words"
    assert evidence["author"] == {
        "uuid": str(alice.uuid),
        "handle": "alice",
        "display_name": alice.display_name,
    }
    assert evidence["images"][0]["uuid"] == str(image.uuid)
    assert evidence["images"][0]["variants"][0]["key"] == "v/1080.jpg"
    assert detail["live_target"] is None


def test_product_evidence_keeps_link_price_and_currency(
    file_report: Callable[..., Any], bob: User, alice: User, mod: User, as_user: Any
) -> None:
    product = ProductFactory.create(
        owner=alice, price=99000, currency="KRW", link="https://s.example/x"
    )
    response = file_report(bob, "product", product.uuid, reason="counterfeit")
    assert response.status_code == 201, response.json()
    product.price = 1
    product.save()
    detail = as_user(mod).get(f"{REPORTS}{response.json()['uuid']}/").json()
    assert detail["evidence"]["price"] == 99000
    assert detail["evidence"]["currency"] == "KRW"
    assert detail["evidence"]["link"] == "https://s.example/x"
    assert detail["live_target"]["price"] == 1


def test_comment_and_reply_reports_name_their_post(
    file_report: Callable[..., Any], alice: User, bob: User, carol: User, alice_post: Post
) -> None:
    comment = make_comment(post=alice_post, author=carol, text="rude words")
    reply = make_reply(comment=comment, author=carol, text="more rude words")
    first = file_report(bob, "comment", comment.uuid, reason="harassment")
    second = file_report(bob, "reply", reply.uuid, reason="harassment")
    assert first.status_code == second.status_code == 201
    reply_report = Report.objects.get(uuid=second.json()["uuid"])
    assert reply_report.target_user == carol
    assert reply_report.evidence["post"] == str(alice_post.uuid)
    assert reply_report.evidence["comment"] == str(comment.uuid)
    assert reply_report.evidence["text"] == "more rude words"


def test_user_is_reported_by_handle_in_any_case(
    file_report: Callable[..., Any], alice: User, bob: User
) -> None:
    response = file_report(bob, "user", "ALICE", reason="harassment")
    assert response.status_code == 201, response.json()
    assert response.json()["target"] == "alice"
    report = Report.objects.get(uuid=response.json()["uuid"])
    assert report.target_user == alice
    assert report.evidence["handle"] == "alice"


def test_chat_message_report_freezes_room_and_seq(
    file_report: Callable[..., Any], alice: User, bob: User
) -> None:
    message = make_chat_message(sender=alice, members=[bob], text="send money first")
    response = file_report(bob, "chat_message", message.uuid, reason="scam")
    assert response.status_code == 201, response.json()
    evidence = Report.objects.get(uuid=response.json()["uuid"]).evidence
    assert evidence["text"] == "send money first"
    assert evidence["room"] == str(message.room.uuid)
    assert evidence["seq"] == 1
    assert evidence["sender"]["handle"] == "alice"


def test_chat_message_of_a_room_you_are_not_in_is_not_found(
    file_report: Callable[..., Any], alice: User, bob: User, carol: User
) -> None:
    message = make_chat_message(sender=alice, members=[bob])
    response = file_report(carol, "chat_message", message.uuid)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_anonymous_cannot_report(anon: APIClient, alice_post: Post) -> None:
    body = {"target_type": "post", "target": str(alice_post.uuid), "reason": "spam"}
    assert anon.post(REPORTS, body, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target_type": "post", "reason": "not-a-reason"}, "reason"),
        ({"target_type": "planet", "reason": "spam"}, "target_type"),
        ({"target_type": "post", "reason": "spam", "description": "x" * 1001}, "description"),
        ({"target_type": "post", "reason": ""}, "reason"),
    ],
)
def test_bad_input_names_the_field(
    as_user: Callable[[User], APIClient],
    bob: User,
    alice_post: Post,
    body: dict[str, Any],
    field: str,
) -> None:
    response = as_user(bob).post(REPORTS, {"target": str(alice_post.uuid), **body}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not Report.objects.exists()


def test_missing_fields_are_each_named(as_user: Callable[[User], APIClient], bob: User) -> None:
    response = as_user(bob).post(REPORTS, {}, format="json")
    assert response.status_code == 400
    assert {"target_type", "target", "reason"} <= set(response.json()["fields"])


@pytest.mark.parametrize("target", ["3f1c2b7e-9d1a-4c55-8f0e-6b2f1a9c0d42", "not-a-uuid", "12"])
def test_unknown_or_malformed_target_is_404(
    file_report: Callable[..., Any], bob: User, target: str
) -> None:
    response = file_report(bob, "post", target)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_user_handle_is_404(file_report: Callable[..., Any], bob: User) -> None:
    assert file_report(bob, "user", "nobody_here").status_code == 404


def test_content_the_reporter_cannot_see_is_404(
    file_report: Callable[..., Any], alice: User, bob: User, carol: User
) -> None:
    draft = make_post(author=alice, status=Post.Status.DRAFT)
    hidden = make_post(author=alice, hidden_at=timezone.now())
    blocked_post = make_post(author=carol)
    Block.objects.create(blocker=carol, blocked=bob)
    hidden_parent_comment = make_comment(post=hidden, author=carol)
    for target_type, target in [
        ("post", draft.uuid),
        ("post", hidden.uuid),
        ("post", blocked_post.uuid),
        ("comment", hidden_parent_comment.uuid),
    ]:
        response = file_report(bob, target_type, target)
        assert response.status_code == 404, (target_type, response.json())
    assert not Report.objects.exists()


def test_suspended_user_cannot_be_found_to_report(
    file_report: Callable[..., Any], alice: User, bob: User
) -> None:
    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert file_report(bob, "user", "alice").status_code == 404


def test_reporting_yourself_or_your_own_content_is_refused(
    file_report: Callable[..., Any], alice: User, alice_post: Post
) -> None:
    product = ProductFactory.create(owner=alice)
    comment = make_comment(post=alice_post, author=alice)
    for target_type, target in [
        ("user", "alice"),
        ("post", alice_post.uuid),
        ("product", product.uuid),
        ("comment", comment.uuid),
    ]:
        response = file_report(alice, target_type, target)
        assert response.status_code == 400, target_type
        assert response.json()["fields"]["target"] == [
            "You cannot report yourself or your own content."
        ]
    assert not Report.objects.exists()


def test_second_open_report_on_the_same_target_is_409(
    file_report: Callable[..., Any], bob: User, carol: User, alice_post: Post
) -> None:
    assert file_report(bob, "post", alice_post.uuid).status_code == 201
    again = file_report(bob, "post", alice_post.uuid, reason="scam")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_report"
    # Another reporter may report the same post.
    assert file_report(carol, "post", alice_post.uuid).status_code == 201
    assert Report.objects.count() == 2


def test_a_closed_report_allows_a_new_one(
    file_report: Callable[..., Any], staff_patch: Callable[..., Any], bob: User, alice_post: Post
) -> None:
    first = file_report(bob, "post", alice_post.uuid).json()["uuid"]
    assert staff_patch(first, status="in_review").status_code == 200
    assert staff_patch(first, status="rejected", reason="not spam").status_code == 200
    assert file_report(bob, "post", alice_post.uuid).status_code == 201


def test_reports_are_rate_limited_per_user(
    file_report: Callable[..., Any], settings: Any, bob: User, carol: User, alice: User
) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "report": "3/3600"}
    posts = [make_post(author=alice) for _ in range(4)]
    codes = [file_report(bob, "post", post.uuid).status_code for post in posts]
    assert codes == [201, 201, 201, 429]
    # Another user has their own budget.
    assert file_report(carol, "post", posts[3].uuid).status_code == 201
