"""The staff workflow: transitions, actions and their effects everywhere, notes, assignment, and
an audit row for every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core.realtime import user_group
from tangerine.posts.models import Comment, Post
from tangerine.products.models import Product
from tangerine.reports.models import AuditLog, ModerationWarning, Report
from tests.factories import ProductFactory, make_chat_message, make_comment
from tests.support.api import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def _route_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@pytest.fixture
def report_on_post(file_report: Callable[..., Any], bob: User, alice_post: Post) -> str:
    response = file_report(bob, "post", alice_post.uuid, reason="spam")
    assert response.status_code == 201
    return str(response.json()["uuid"])


def _history(report_uuid: str) -> list[tuple[str, str, str]]:
    return list(
        AuditLog.objects.filter(report__uuid=report_uuid)
        .order_by("created_at", "id")
        .values_list("action", "from_status", "to_status")
    )


def test_resolving_with_hide_content_hides_the_post_and_logs_each_step(
    staff_patch: Callable[..., Any], report_on_post: str, alice_post: Post, carol: User, mod: User
) -> None:
    assert staff_patch(report_on_post, status="in_review").status_code == 200
    response = staff_patch(
        report_on_post, status="resolved", actions=["hide_content"], reason="spam ring"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "resolved"
    assert body["actions"] == ["hide_content"]
    assert body["live_target"]["hidden_at"] is not None
    # Acting on the report assigned it to the acting staff member (once).
    assert [row["action"] for row in body["history"]] == [
        "created",
        "assigned",
        "status",
        "status",
        "hide_content",
    ]
    assert body["assignee"]["handle"] == body["assigned_to"]["handle"] == mod.handle
    assert body["history"][-1]["actor"] == mod.handle
    assert body["history"][-1]["reason"] == "spam ring"
    assert body["history"][-1]["payload"] == {"changed": True}
    alice_post.refresh_from_db()
    assert alice_post.hidden_at is not None
    assert not Post.objects.visible_to(carol).filter(pk=alice_post.pk).exists()
    assert Post.objects.visible_to(mod).filter(pk=alice_post.pk).exists()


@pytest.mark.skipif(
    not _route_exists("/api/posts/latest/"), reason="SKIPPED: posts API not landed yet"
)
def test_hidden_post_is_gone_from_post_detail_and_latest_for_others(
    staff_patch: Callable[..., Any],
    report_on_post: str,
    alice_post: Post,
    carol: User,
    anon: APIClient,
    as_user: Callable[[User], APIClient],
) -> None:
    detail = f"/api/posts/p/{alice_post.uuid}/"
    assert anon.get(detail).status_code == 200
    assert str(alice_post.uuid) in str(anon.get("/api/posts/latest/").json())
    staff_patch(report_on_post, status="in_review")
    staff_patch(report_on_post, status="resolved", actions=["hide_content"])
    for client in (anon, as_user(carol)):
        assert client.get(detail).status_code == 404
        assert str(alice_post.uuid) not in str(client.get("/api/posts/latest/").json())


def test_unhide_on_a_reopened_report_brings_the_post_back(
    staff_patch: Callable[..., Any], report_on_post: str, alice_post: Post, carol: User
) -> None:
    staff_patch(report_on_post, status="in_review")
    staff_patch(report_on_post, status="resolved", actions=["hide_content"])
    assert staff_patch(report_on_post, status="in_review", reason="appeal").status_code == 200
    response = staff_patch(report_on_post, status="resolved", actions=["unhide_content"])
    assert response.status_code == 200, response.json()
    assert Post.objects.visible_to(carol).filter(pk=alice_post.pk).exists()
    assert _history(report_on_post)[-3:] == [
        ("status", "resolved", "in_review"),
        ("status", "in_review", "resolved"),
        ("unhide_content", "in_review", "resolved"),
    ]


def test_hiding_a_comment_and_a_product(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    alice: User,
    bob: User,
    carol: User,
    alice_post: Post,
) -> None:
    comment = make_comment(post=alice_post, author=carol)
    product = ProductFactory.create(owner=alice)
    for target_type, obj in (("comment", comment), ("product", product)):
        uuid = file_report(bob, target_type, obj.uuid).json()["uuid"]
        staff_patch(uuid, status="in_review")
        assert staff_patch(uuid, status="resolved", actions=["hide_content"]).status_code == 200
    assert not Comment.objects.visible_to(bob).filter(pk=comment.pk).exists()
    assert not Product.objects.visible_to(bob).filter(pk=product.pk).exists()


def test_hiding_a_chat_message_sets_hidden_at(
    file_report: Callable[..., Any], staff_patch: Callable[..., Any], alice: User, bob: User
) -> None:
    message = make_chat_message(sender=alice, members=[bob])
    uuid = file_report(bob, "chat_message", message.uuid, reason="scam").json()["uuid"]
    staff_patch(uuid, status="in_review")
    assert staff_patch(uuid, status="resolved", actions=["hide_content"]).status_code == 200
    message.refresh_from_db()
    assert message.hidden_at is not None


def test_suspending_revokes_tokens_blocks_login_and_hides_content(
    staff_patch: Callable[..., Any],
    report_on_post: str,
    alice: User,
    alice_post: Post,
    carol: User,
    anon: APIClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    alice_client = client_for(alice)
    assert alice_client.get("/api/accounts/me/").status_code == 200
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(alice.uuid), channel)

    staff_patch(report_on_post, status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_patch(report_on_post, status="resolved", actions=["suspend_user"])
    assert response.status_code == 200, response.json()

    assert async_to_sync(layer.receive)(channel) == {"type": "session.revoked"}
    assert alice_client.get("/api/accounts/me/").status_code == 401
    login = anon.post(
        "/api/accounts/login/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 401
    assert not Post.objects.visible_to(carol).filter(pk=alice_post.pk).exists()
    alice.refresh_from_db()
    assert alice.suspended_at is not None
    assert _history(report_on_post)[-1] == ("suspend_user", "in_review", "resolved")


def test_unsuspending_lets_the_user_log_in_again(
    staff_patch: Callable[..., Any], report_on_post: str, alice: User, anon: APIClient
) -> None:
    staff_patch(report_on_post, status="in_review")
    staff_patch(report_on_post, status="resolved", actions=["suspend_user"])
    staff_patch(report_on_post, status="in_review")
    response = staff_patch(report_on_post, status="resolved", actions=["unsuspend_user"])
    assert response.status_code == 200, response.json()
    login = anon.post(
        "/api/accounts/login/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 200
    assert client_for(User.objects.get(pk=alice.pk)).get("/api/accounts/me/").status_code == 200


def test_warning_is_visible_to_the_warned_user_only(
    staff_patch: Callable[..., Any],
    report_on_post: str,
    alice: User,
    bob: User,
    as_user: Callable[[User], APIClient],
) -> None:
    staff_patch(report_on_post, status="in_review")
    response = staff_patch(
        report_on_post,
        status="resolved",
        actions=["warn_user", "hide_content"],
        reason="Please stop posting spam.",
    )
    assert response.status_code == 200, response.json()
    mine = as_user(alice).get("/api/reports/warnings/mine/").json()
    assert mine["count"] == 1
    warning = mine["results"][0]
    assert warning["reason"] == "spam"
    assert warning["message"] == "Please stop posting spam."
    assert warning["target_type"] == "post"
    assert as_user(bob).get("/api/reports/warnings/mine/").json()["count"] == 0
    assert [row[0] for row in _history(report_on_post)][-2:] == ["warn_user", "hide_content"]
    assert ModerationWarning.objects.get().user == alice


def test_assignment_and_notes_are_logged(
    staff_patch: Callable[..., Any], report_on_post: str, make_user: Callable[..., User]
) -> None:
    other_mod = make_user(handle="mod_two", is_staff=True)
    response = staff_patch(report_on_post, assignee="MOD_TWO", note="Looks like a bot.")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assignee"]["handle"] == other_mod.handle
    assert [n["text"] for n in body["notes"]] == ["Looks like a bot."]
    assert body["status"] == "pending"
    unassign = staff_patch(report_on_post, assignee=None)
    assert unassign.json()["assignee"] is None
    actions = [row[0] for row in _history(report_on_post)]
    assert actions == ["created", "assigned", "note", "assigned"]
    assigned = AuditLog.objects.filter(report__uuid=report_on_post, action="assigned")
    assert [row.payload for row in assigned] == [
        {"from": None, "to": "mod_two"},
        {"from": "mod_two", "to": None},
    ]


@pytest.mark.parametrize(
    ("steps", "body", "field"),
    [
        ([], {"status": "resolved", "actions": ["hide_content"]}, "status"),
        ([], {"status": "rejected"}, "status"),
        ([], {"status": "pending"}, "status"),
        (["in_review"], {"status": "resolved"}, "actions"),
        (["in_review"], {"status": "resolved", "actions": ["explode"]}, "actions"),
        (["in_review"], {"status": "rejected", "actions": ["hide_content"]}, "actions"),
        (["in_review"], {"actions": ["hide_content"]}, "actions"),
        (
            ["in_review"],
            {"status": "resolved", "actions": ["hide_content", "unhide_content"]},
            "actions",
        ),
        (["in_review"], {"status": "archived"}, "status"),
        ([], {"assignee": "bob"}, "assignee"),
        ([], {"note": "x" * 2001}, "note"),
        ([], {}, "non_field_errors"),
    ],
)
def test_invalid_changes_are_400_with_a_field_and_write_nothing(
    staff_patch: Callable[..., Any],
    report_on_post: str,
    bob: User,
    steps: list[str],
    body: dict[str, Any],
    field: str,
) -> None:
    for status in steps:
        assert staff_patch(report_on_post, status=status).status_code == 200
    before = AuditLog.objects.count()
    response = staff_patch(report_on_post, **body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert AuditLog.objects.count() == before
    assert Post.objects.filter(hidden_at__isnull=False).count() == 0


def test_user_report_cannot_hide_but_can_suspend(
    file_report: Callable[..., Any], staff_patch: Callable[..., Any], alice: User, bob: User
) -> None:
    uuid = file_report(bob, "user", "alice", reason="harassment").json()["uuid"]
    staff_patch(uuid, status="in_review")
    refused = staff_patch(uuid, status="resolved", actions=["hide_content"])
    assert refused.status_code == 400
    assert "actions" in refused.json()["fields"]
    assert staff_patch(uuid, status="resolved", actions=["suspend_user"]).status_code == 200
    assert User.objects.get(pk=alice.pk).is_suspended


def test_staff_cannot_be_suspended_from_a_report(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    make_user: Callable[..., User],
    bob: User,
) -> None:
    make_user(handle="other_mod", is_staff=True)
    uuid = file_report(bob, "user", "other_mod").json()["uuid"]
    staff_patch(uuid, status="in_review")
    response = staff_patch(uuid, status="resolved", actions=["suspend_user"])
    assert response.status_code == 400
    assert "actions" in response.json()["fields"]


def test_hiding_deleted_content_is_a_clear_400(
    staff_patch: Callable[..., Any], report_on_post: str, alice_post: Post
) -> None:
    alice_post.delete()
    staff_patch(report_on_post, status="in_review")
    response = staff_patch(report_on_post, status="resolved", actions=["hide_content"])
    assert response.status_code == 400
    assert response.json()["fields"]["actions"] == ["The reported content no longer exists."]
    # The author still exists: warning them still works.
    assert staff_patch(report_on_post, status="resolved", actions=["warn_user"]).status_code == 200


def test_reopening_when_the_reporter_filed_again_is_409(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    report_on_post: str,
    bob: User,
    alice_post: Post,
) -> None:
    staff_patch(report_on_post, status="in_review")
    staff_patch(report_on_post, status="rejected")
    assert file_report(bob, "post", alice_post.uuid).status_code == 201
    response = staff_patch(report_on_post, status="pending")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_report"
    assert Report.objects.get(uuid=report_on_post).status == "rejected"


def test_reporter_sees_the_outcome_but_not_notes_or_staff(
    staff_patch: Callable[..., Any],
    report_on_post: str,
    bob: User,
    as_user: Callable[[User], APIClient],
) -> None:
    staff_patch(report_on_post, status="in_review", note="secret staff note", assignee="moderator1")
    staff_patch(report_on_post, status="resolved", actions=["hide_content", "warn_user"])
    mine = as_user(bob).get("/api/reports/mine/").json()
    assert mine["count"] == 1
    row = mine["results"][0]
    assert row["status"] == "resolved"
    assert row["outcome"]["actions"] == ["hide_content", "warn_user"]
    assert row["outcome"]["closed_at"] is not None
    text = str(mine)
    assert "secret staff note" not in text
    assert "moderator1" not in text
    assert "evidence" not in row and "notes" not in row and "history" not in row
