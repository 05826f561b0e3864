"""Moderation that tells people: the hidden author is notified, appeals once, staff decide."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.notifications.models import Notification
from tangerine.posts.models import Post
from tangerine.reports import services
from tangerine.reports.models import Appeal, AuditLog
from tests.factories import make_post
from tests.support.api import REPORTS

pytestmark = pytest.mark.django_db

APPEALS = f"{REPORTS}appeals/"
HIDDEN = f"{REPORTS}hidden/"


def _hide(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    reporter: User,
    post: Post,
    reason: str = "광고 도배",
) -> str:
    filed = file_report(reporter, "post", post.uuid, reason="spam")
    assert filed.status_code == 201, filed.json()
    report = filed.json()["uuid"]
    assert staff_patch(report, status="in_review").status_code == 200
    done = staff_patch(report, status="resolved", actions=["hide_content"], reason=reason)
    assert done.status_code == 200, done.json()
    return str(report)


@pytest.fixture
def hidden_post(
    file_report: Callable[..., Any], staff_patch: Callable[..., Any], bob: User, alice_post: Post
) -> Post:
    _hide(file_report, staff_patch, bob, alice_post)
    alice_post.refresh_from_db()
    assert alice_post.hidden_at is not None
    return alice_post


def _appeal(client: APIClient, post: Post, text: str = "제 사진입니다. It is my own photo.") -> Any:
    body = {"target_type": "post", "target": str(post.uuid), "text": text}
    return client.post(APPEALS, body, format="json")


def test_the_author_is_told_why_and_sees_what_was_hidden(
    as_user: Callable[[User], APIClient], alice: User, hidden_post: Post
) -> None:
    note = Notification.objects.get(recipient=alice, kind="content_hidden")
    assert note.actor is None
    assert (note.target_type, str(note.target_uuid)) == ("post", str(hidden_post.uuid))
    assert note.preview == "광고 도배"
    body = (
        as_user(alice).get(HIDDEN, {"target_type": "post", "target": str(hidden_post.uuid)}).json()
    )
    assert body["hidden"] is True
    assert body["reason"] == "spam"
    assert body["message"] == "광고 도배"
    assert body["excerpt"] == (hidden_post.title or hidden_post.text)
    assert body["appeal"] is None


def test_hidden_content_lookup_is_the_authors_only(
    as_user: Callable[[User], APIClient], bob: User, hidden_post: Post, anon: APIClient
) -> None:
    query = {"target_type": "post", "target": str(hidden_post.uuid)}
    assert as_user(bob).get(HIDDEN, query).status_code == 404
    assert anon.get(HIDDEN, query).status_code == 401
    bad = as_user(bob).get(HIDDEN, {"target_type": "user", "target": "nope"})
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"target_type", "target"}


def test_appeal_once_and_only_the_author(
    as_user: Callable[[User], APIClient], alice: User, bob: User, hidden_post: Post
) -> None:
    response = _appeal(as_user(alice), hidden_post)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["hidden_content"]["target"] == str(hidden_post.uuid)
    again = _appeal(as_user(alice), hidden_post, "please")
    assert again.status_code == 409
    assert again.json()["code"] == "appeal_exists"
    assert _appeal(as_user(bob), hidden_post).status_code == 404
    assert Appeal.objects.count() == 1
    mine = as_user(alice).get(f"{APPEALS}mine/").json()["results"]
    assert [a["uuid"] for a in mine] == [body["uuid"]]
    assert (
        as_user(alice)
        .get(HIDDEN, {"target_type": "post", "target": str(hidden_post.uuid)})
        .json()["appeal"]["uuid"]
        == body["uuid"]
    )


def test_visible_content_cannot_be_appealed(
    as_user: Callable[[User], APIClient], alice: User, bob: User, alice_post: Post
) -> None:
    own = _appeal(as_user(alice), alice_post)
    assert own.status_code == 400
    assert own.json()["code"] == "not_hidden"
    # Someone else's visible post, and unknown content: the same 404.
    assert _appeal(as_user(bob), alice_post).status_code == 404
    unknown = {"target_type": "post", "target": "8d2c1c2e-5b7e-4a7e-9d51-3a1b2c3d4e5f", "text": "x"}
    assert as_user(alice).post(APPEALS, unknown, format="json").status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"target_type", "target", "text"}),
        ({"target_type": "user", "target": "alice", "text": "x"}, {"target_type", "target"}),
        ({"target_type": "post", "target": "not-a-uuid", "text": "x"}, {"target"}),
        (
            {"target_type": "post", "target": "8d2c1c2e-5b7e-4a7e-9d51-3a1b2c3d4e5f", "text": ""},
            {"text"},
        ),
        (
            {
                "target_type": "post",
                "target": "8d2c1c2e-5b7e-4a7e-9d51-3a1b2c3d4e5f",
                "text": "x" * 1001,
            },
            {"text"},
        ),
    ],
)
def test_bad_appeals_are_400_with_fields(
    as_user: Callable[[User], APIClient], alice: User, body: dict[str, Any], fields: set[str]
) -> None:
    response = as_user(alice).post(APPEALS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == fields


def test_anonymous_cannot_appeal(anon: APIClient, hidden_post: Post) -> None:
    assert _appeal(anon, hidden_post).status_code == 401


def test_overturned_shows_the_content_again_and_tells_the_author(
    as_user: Callable[[User], APIClient], alice: User, carol: User, mod: User, hidden_post: Post
) -> None:
    appeal = _appeal(as_user(alice), hidden_post).json()
    queue = as_user(mod).get(APPEALS, {"status": "pending"}).json()["results"]
    assert [a["uuid"] for a in queue] == [appeal["uuid"]]
    assert queue[0]["author"]["handle"] == alice.handle
    assert queue[0]["report"] is not None
    response = as_user(mod).patch(
        f"{APPEALS}{appeal['uuid']}/", {"decision": "overturned", "reason": "ok"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "overturned"
    assert response.json()["decided_by"]["handle"] == mod.handle
    hidden_post.refresh_from_db()
    assert hidden_post.hidden_at is None
    assert Post.objects.visible_to(carol).filter(pk=hidden_post.pk).exists()
    note = Notification.objects.get(recipient=alice, kind="appeal_resolved")
    assert (note.target_type, str(note.target_uuid)) == ("appeal", appeal["uuid"])
    assert note.preview == f"overturned: {hidden_post.title or hidden_post.text}"[:140]
    assert AuditLog.objects.filter(action="appeal_overturned", actor=mod).count() == 1
    # Final: a second decision is a 409.
    again = as_user(mod).patch(f"{APPEALS}{appeal['uuid']}/", {"decision": "upheld"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "appeal_decided"
    assert as_user(mod).get(APPEALS, {"status": "pending"}).json()["results"] == []
    detail = as_user(mod).get(f"{APPEALS}{appeal['uuid']}/").json()
    assert detail["hidden_content"]["hidden"] is False


def test_upheld_keeps_it_hidden(
    as_user: Callable[[User], APIClient], alice: User, mod: User, hidden_post: Post
) -> None:
    appeal = _appeal(as_user(alice), hidden_post).json()
    response = as_user(mod).patch(
        f"{APPEALS}{appeal['uuid']}/", {"decision": "upheld"}, format="json"
    )
    assert response.status_code == 200
    hidden_post.refresh_from_db()
    assert hidden_post.hidden_at is not None
    assert Notification.objects.get(recipient=alice, kind="appeal_resolved").preview.startswith(
        "upheld"
    )
    # Upheld is final too: the author cannot appeal again.
    assert _appeal(as_user(alice), hidden_post).status_code == 409


def test_staff_endpoints_refuse_others_and_bad_input(
    as_user: Callable[[User], APIClient],
    alice: User,
    mod: User,
    anon: APIClient,
    hidden_post: Post,
) -> None:
    appeal = _appeal(as_user(alice), hidden_post).json()
    url = f"{APPEALS}{appeal['uuid']}/"
    assert anon.get(APPEALS).status_code == 401
    assert as_user(alice).get(APPEALS).status_code == 403
    assert as_user(alice).get(url).status_code == 403
    assert as_user(alice).patch(url, {"decision": "overturned"}, format="json").status_code == 403
    bad = as_user(mod).patch(url, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"decision"}
    assert as_user(mod).get(APPEALS, {"status": "nope"}).status_code == 400
    missing = f"{APPEALS}8d2c1c2e-5b7e-4a7e-9d51-3a1b2c3d4e5f/"
    assert as_user(mod).get(missing).status_code == 404
    assert as_user(mod).patch(missing, {"decision": "upheld"}, format="json").status_code == 404
    hidden_post.refresh_from_db()
    assert hidden_post.hidden_at is not None  # nothing refused changed anything


def test_staff_appeal_list_query_count_is_pinned(
    as_user: Callable[[User], APIClient],
    django_assert_num_queries: Any,
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    alice: User,
    bob: User,
    mod: User,
) -> None:
    client = as_user(mod)
    for n in (2, 8):
        for _ in range(n):
            post = make_post(author=alice)
            _hide(file_report, staff_patch, bob, post)
            assert _appeal(as_user(alice), post).status_code == 201
        # 1 the user named by the token, 2 COUNT, 3 the page (people, hiding, report joined)
        with django_assert_num_queries(3):
            response = client.get(APPEALS)
        assert response.status_code == 200
        assert len(response.json()["results"]) == Appeal.objects.count()


def test_my_reports_name_the_target_and_link_while_visible(
    as_user: Callable[[User], APIClient],
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    alice: User,
    bob: User,
) -> None:
    shown = make_post(author=alice, title="귤 팝니다 Tangerines")
    hidden = make_post(author=alice, title="Spam spam")
    assert file_report(bob, "post", shown.uuid).status_code == 201
    _hide(file_report, staff_patch, bob, hidden)
    rows = {r["target"]: r for r in as_user(bob).get(f"{REPORTS}mine/").json()["results"]}
    assert rows[str(shown.uuid)]["target_excerpt"] == "귤 팝니다 Tangerines"
    assert rows[str(shown.uuid)]["target_link"] == f"/posts/{shown.uuid}"
    assert rows[str(hidden.uuid)]["target_excerpt"] == "Spam spam"
    assert rows[str(hidden.uuid)]["target_link"] is None
    # The outcome notification names the report's target.
    note = Notification.objects.get(recipient=bob, kind="report_resolved")
    assert note.preview == "resolved: Spam spam"


def test_acting_assigns_the_report_to_the_acting_staff_member(
    as_user: Callable[[User], APIClient],
    file_report: Callable[..., Any],
    make_user: Callable[..., User],
    bob: User,
    mod: User,
    alice_post: Post,
) -> None:
    other = make_user(email="mod2@example.com", handle="moderator2", is_staff=True)
    report = file_report(bob, "post", alice_post.uuid).json()["uuid"]
    body = as_user(other).patch(f"{REPORTS}{report}/", {"status": "in_review"}, format="json")
    assert body.json()["assigned_to"]["handle"] == "moderator2"
    # A note alone does not take the report; moving its status does.
    noted = as_user(mod).patch(f"{REPORTS}{report}/", {"note": "looking"}, format="json")
    assert noted.json()["assigned_to"]["handle"] == "moderator2"
    moved = as_user(mod).patch(f"{REPORTS}{report}/", {"status": "rejected"}, format="json")
    assert moved.json()["assigned_to"]["handle"] == mod.handle
    actions = [row["action"] for row in moved.json()["history"]]
    assert actions == ["created", "assigned", "status", "note", "assigned", "status"]


def _in_parallel(actions: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(actions))

    def run(action: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=30)
            return action()
        except Exception as exc:  # the loser's 409
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return [f.result() for f in [pool.submit(run, a) for a in actions]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_one_wins_the_other_gets_409(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    as_user: Callable[[User], APIClient],
    make_user: Callable[..., User],
    alice: User,
    bob: User,
    mod: User,
    alice_post: Post,
) -> None:
    other = make_user(email="mod2@example.com", handle="moderator2", is_staff=True)
    _hide(file_report, staff_patch, bob, alice_post)
    appeal = _appeal(as_user(alice), alice_post).json()["uuid"]
    results = _in_parallel(
        [
            lambda: services.appeal_decide(actor=mod, uuid=appeal, decision="overturned"),
            lambda: services.appeal_decide(actor=other, uuid=appeal, decision="upheld"),
        ]
    )
    won = [r for r in results if isinstance(r, Appeal)]
    lost = [r for r in results if isinstance(r, services.AppealError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].status_code == 409
    stored = Appeal.objects.get(uuid=appeal)
    assert stored.status == won[0].status
    alice_post.refresh_from_db()
    assert (alice_post.hidden_at is None) == (stored.status == "overturned")
    assert Notification.objects.filter(recipient=alice, kind="appeal_resolved").count() == 1


@pytest.mark.parametrize("kind", ["product", "chat_message", "comment"])
def test_other_kinds_are_notified_appealed_and_restored(
    as_user: Callable[[User], APIClient],
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    alice: User,
    bob: User,
    mod: User,
    kind: str,
) -> None:
    from tangerine.products.services import product_create
    from tests.factories import make_chat_message, make_comment

    target: Any
    if kind == "product":
        target = product_create(
            owner=alice, name="중고 자전거 Bike", price=50000, link="https://shop.example.com/b"
        )
        notified_as, excerpt = "product", "중고 자전거 Bike"
    elif kind == "chat_message":
        target = make_chat_message(
            sender=alice, members=[alice, bob], text="선입금 주세요 pay first"
        )
        notified_as, excerpt = "message", "선입금 주세요 pay first"
    else:
        target = make_comment(make_post(author=bob), alice, text="댓글 광고 comment ad")
        notified_as, excerpt = "comment", "댓글 광고 comment ad"
    filed = file_report(bob, kind, target.uuid)
    assert filed.status_code == 201, filed.json()
    report = filed.json()["uuid"]
    assert staff_patch(report, status="in_review").status_code == 200
    assert staff_patch(report, status="resolved", actions=["hide_content"]).status_code == 200
    note = Notification.objects.get(recipient=alice, kind="content_hidden")
    assert (note.target_type, str(note.target_uuid)) == (notified_as, str(target.uuid))
    assert note.preview == "spam"  # no staff words: the reason code, translated by the web app
    body = {"target_type": kind, "target": str(target.uuid), "text": "제 것입니다"}
    appeal = as_user(alice).post(APPEALS, body, format="json")
    assert appeal.status_code == 201, appeal.json()
    assert appeal.json()["hidden_content"]["excerpt"] == excerpt
    decided = as_user(mod).patch(
        f"{APPEALS}{appeal.json()['uuid']}/", {"decision": "overturned"}, format="json"
    )
    assert decided.status_code == 200
    target.refresh_from_db()
    assert target.hidden_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_appeals_at_once_make_one(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    alice: User,
    bob: User,
    alice_post: Post,
) -> None:
    _hide(file_report, staff_patch, bob, alice_post)

    def appeal() -> Appeal:
        return services.appeal_create(
            author=alice, target_type="post", target=str(alice_post.uuid), text="mine"
        )

    results = _in_parallel([appeal, appeal, appeal])
    assert sum(isinstance(r, Appeal) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, services.AppealError)]
    assert len(refused) == 2 and all(r.status_code == 409 for r in refused)
    assert Appeal.objects.count() == 1
