"""Who gets notified of what: the rules of ``notification_create`` and each ``notify_*`` call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block, Mute
from tangerine.notifications import services
from tangerine.notifications.models import Kind, Notification, NotificationActor
from tangerine.reports.models import ModerationWarning, Report
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def _only(recipient: Any) -> Notification:
    rows = list(Notification.objects.filter(recipient=recipient))
    assert len(rows) == 1, rows
    return rows[0]


def test_follow_notifies_the_followee_and_rings_their_sockets_after_commit(
    alice, bob, inbox, django_capture_on_commit_callbacks
):
    alice_inbox = inbox(alice)
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify_follow(follower=bob, followee=alice)
    assert made is not None
    row = _only(alice)
    # A follow's target is the followee: new followers gather in one group.
    assert (row.kind, row.actor, row.target_type, row.target_uuid) == (
        "follow",
        bob,
        "user",
        alice.uuid,
    )
    assert row.read_at is None
    events = alice_inbox.events()
    assert len(events) == 1
    event = events[0]
    assert event["type"] == "notification"
    payload = event["notification"]
    assert payload["uuid"] == str(row.uuid)
    assert payload["kind"] == "follow"
    assert payload["actor"]["handle"] == "bob"
    assert [a["handle"] for a in payload["actors"]] == ["bob"]
    assert (payload["actor_count"], payload["others_count"]) == (1, 0)
    assert payload["target"] == {
        "type": "user",
        "uuid": str(alice.uuid),
        "preview": "",
        "post": None,
    }
    assert payload["read"] is False


def test_nothing_is_published_before_the_transaction_commits(alice, bob, inbox):
    alice_inbox = inbox(alice)
    services.notify_follow(follower=bob, followee=alice)  # test transaction never commits
    assert alice_inbox.events() == []
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_liking_my_own_post_notifies_nobody(
    alice, make_post, inbox, django_capture_on_commit_callbacks
):
    post = make_post(alice)
    alice_inbox = inbox(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_post_liked(user=alice, post=post) is None
    assert not Notification.objects.exists()
    assert alice_inbox.events() == []


@pytest.mark.parametrize("direction", ["recipient_blocks_actor", "actor_blocks_recipient"])
def test_a_block_either_way_stops_notifications(alice, bob, make_post, direction):
    if direction == "recipient_blocks_actor":
        Block.objects.create(blocker=alice, blocked=bob)
    else:
        Block.objects.create(blocker=bob, blocked=alice)
    assert services.notify_post_liked(user=bob, post=make_post(alice)) is None
    assert services.notify_follow(follower=bob, followee=alice) is None
    assert not Notification.objects.exists()


def test_a_muted_actor_does_not_notify_but_muting_the_recipient_does_not_silence_them(
    alice, bob, make_post
):
    Mute.objects.create(muter=alice, muted=bob)
    assert services.notify_post_liked(user=bob, post=make_post(alice)) is None
    # A mute is one-way: alice muting bob does not silence alice's likes towards bob.
    assert services.notify_post_liked(user=alice, post=make_post(bob)) is not None
    assert Notification.objects.filter(recipient=bob).count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()


def test_repeated_likes_make_one_notification_until_read_and_an_hour_passed(alice, bob, make_post):
    post = make_post(alice)
    first = services.notify_post_liked(user=bob, post=post)
    assert first is not None
    assert services.notify_post_liked(user=bob, post=post) is None
    assert Notification.objects.filter(recipient=alice).count() == 1
    # Still in the open group after the window: bob is counted once.
    NotificationActor.objects.update(
        created_at=timezone.now() - services.DEDUP_WINDOW - timedelta(seconds=1)
    )
    assert services.notify_post_liked(user=bob, post=post) is None
    # Once alice read it and the hour passed, a like rings again (a new group).
    services.notifications_mark_read(recipient=alice, mark_all=True)
    again = services.notify_post_liked(user=bob, post=post)
    assert again is not None and again.pk != first.pk
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_a_read_group_within_the_hour_does_not_ring_again_for_the_same_person(
    alice, bob, make_post
):
    post = make_post(alice)
    assert services.notify_post_liked(user=bob, post=post) is not None
    services.notifications_mark_read(recipient=alice, mark_all=True)
    assert services.notify_post_liked(user=bob, post=post) is None  # like, unlike, like
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_likes_of_one_post_group_and_other_posts_or_kinds_do_not(
    alice, bob, carol, make_post, make_comment
):
    one, two = make_post(alice), make_post(alice)
    comment = make_comment(one, alice)
    first = services.notify_post_liked(user=bob, post=one)
    assert services.notify_post_liked(user=bob, post=two) is not None
    joined = services.notify_post_liked(user=carol, post=one)
    assert services.notify_comment_liked(user=carol, comment=comment) is not None
    assert first is not None and joined is not None and joined.pk == first.pk
    assert Notification.objects.filter(recipient=alice).count() == 3
    group = Notification.objects.get(pk=first.pk)
    assert group.actor == carol  # the newest
    assert list(group.actor_rows.order_by("id").values_list("actor__handle", flat=True)) == [
        "bob",
        "carol",
    ]


def test_repeated_follows_within_an_hour_make_one_notification(alice, bob):
    assert services.notify_follow(follower=bob, followee=alice) is not None
    assert services.notify_follow(follower=bob, followee=alice) is None
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_every_comment_notifies_even_from_the_same_person(alice, bob, make_post, make_comment):
    post = make_post(alice)
    for text in ("first", "second"):
        services.notify_comment(comment=make_comment(post, bob, text=text))
    rows = Notification.objects.filter(recipient=alice, kind=Kind.COMMENT)
    assert sorted(rows.values_list("preview", flat=True)) == ["first", "second"]
    assert set(rows.values_list("post_uuid", flat=True)) == {post.uuid}


def test_a_reply_notifies_the_comment_author_and_the_post_author(
    alice, bob, carol, make_post, make_comment, make_reply
):
    comment = make_comment(make_post(alice), bob)
    reply = make_reply(comment, carol)
    made = services.notify_reply(reply=reply)
    assert sorted(n.recipient.handle for n in made) == ["alice", "bob"]
    for row in made:
        assert (row.kind, row.actor, row.target_type, row.target_uuid) == (
            "reply",
            carol,
            "reply",
            reply.uuid,
        )


def test_a_reply_notifies_the_post_author_once_when_they_wrote_the_comment(
    alice, bob, make_post, make_comment, make_reply
):
    comment = make_comment(make_post(alice), alice)
    made = services.notify_reply(reply=make_reply(comment, bob))
    assert [n.recipient for n in made] == [alice]


def test_replying_to_my_own_comment_notifies_only_the_post_author(
    alice, bob, make_post, make_comment, make_reply
):
    comment = make_comment(make_post(alice), bob)
    made = services.notify_reply(reply=make_reply(comment, bob))
    assert [n.recipient for n in made] == [alice]


def test_comment_and_reply_likes_point_at_the_thing_and_its_post(
    alice, bob, make_post, make_comment, make_reply
):
    post = make_post(alice)
    comment = make_comment(post, bob, text="bob's comment")
    reply = make_reply(comment, alice, text="alice's reply")
    liked_comment = services.notify_comment_liked(user=alice, comment=comment)
    liked_reply = services.notify_reply_liked(user=bob, reply=reply)
    assert liked_comment is not None and liked_reply is not None
    assert (liked_comment.recipient, liked_comment.kind, liked_comment.target_uuid) == (
        bob,
        "comment_like",
        comment.uuid,
    )
    assert liked_comment.preview == "bob's comment"
    assert (liked_reply.recipient, liked_reply.kind, liked_reply.target_uuid) == (
        alice,
        "reply_like",
        reply.uuid,
    )
    assert liked_comment.post_uuid == liked_reply.post_uuid == post.uuid


def test_preview_is_one_line_of_at_most_140_characters(alice, bob, make_post):
    post = make_post(alice, title="", text="감귤\n\n" + "가" * 300)
    row = services.notify_post_liked(user=bob, post=post)
    assert row is not None
    assert len(row.preview) == 140
    assert row.preview.startswith("감귤 가가")
    assert row.preview.endswith("…")
    short = services.notify_post_liked(user=bob, post=make_post(alice, title="Title wins"))
    assert short is not None and short.preview == "Title wins"


def _report(reporter: Any, post: Any, status: str) -> Report:
    return make_report(
        reporter=reporter,
        target_id=post.pk,
        target_ref=str(post.uuid),
        target_user=post.author,
        status=status,
        evidence={},
    )


@pytest.mark.parametrize("status", ["resolved", "rejected"])
def test_a_closed_report_tells_the_reporter_the_outcome_without_naming_staff(
    alice, bob, make_post, status
):
    report = _report(bob, make_post(alice), status)
    row = services.notify_report_resolved(report=report)
    assert row is not None
    assert (row.recipient, row.actor, row.kind, row.target_type, row.target_uuid) == (
        bob,
        None,
        "report_resolved",
        "report",
        report.uuid,
    )
    assert row.preview == status


@pytest.mark.parametrize("status", ["pending", "in_review"])
def test_an_open_report_notifies_nobody(alice, bob, make_post, status):
    assert services.notify_report_resolved(report=_report(bob, make_post(alice), status)) is None
    assert not Notification.objects.exists()


def test_a_report_whose_reporter_is_gone_notifies_nobody(alice, make_post):
    assert (
        services.notify_report_resolved(report=_report(None, make_post(alice), "resolved")) is None
    )
    assert not Notification.objects.exists()


def test_a_moderation_warning_notifies_the_warned_user(alice):
    warning = ModerationWarning.objects.create(user=alice, reason="spam", message="Stop, please.")
    row = services.notify_warning(warning=warning)
    assert row is not None
    assert (row.recipient, row.actor, row.kind, row.target_uuid, row.preview) == (
        alice,
        None,
        "warning",
        warning.uuid,
        "Stop, please.",
    )


def test_unknown_kind_or_target_type_is_a_programming_error(alice, bob):
    with pytest.raises(ValueError, match="kind"):
        services.notification_create(
            recipient=alice, actor=bob, kind="nonsense", target_type="user", target_uuid=bob.uuid
        )
    with pytest.raises(ValueError, match="target type"):
        services.notification_create(
            recipient=alice, actor=bob, kind="follow", target_type="group", target_uuid=bob.uuid
        )
    assert not Notification.objects.exists()


def test_notifications_go_with_their_recipient_and_outlive_their_actor(alice, bob, carol):
    services.notify_follow(follower=bob, followee=alice)
    services.notify_follow(follower=alice, followee=carol)
    alice.delete()
    assert not Notification.objects.filter(recipient_id=alice.pk).exists()
    row = _only(carol)
    assert row.actor is None


def test_deleting_notifications_about_removed_content(alice, bob, make_post):
    gone, kept = make_post(alice), make_post(alice)
    services.notify_post_liked(user=bob, post=gone)
    services.notify_post_liked(user=bob, post=kept)
    assert (
        services.notifications_delete_for_target(target_type="post", target_uuids=[gone.uuid]) == 1
    )
    assert list(Notification.objects.values_list("target_uuid", flat=True)) == [kept.uuid]
