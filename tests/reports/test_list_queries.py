"""List endpoints: filters, pagination, and query counts that do not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.reports.models import ModerationWarning
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def _seed(*, n: int, reporter: User, target_user: User, assignee: User, offset: int) -> None:
    for i in range(n):
        report = make_report(
            reporter=reporter,
            target_user=target_user,
            target_id=offset + i,
            status=["pending", "in_review", "resolved", "rejected"][i % 4],
            reason=["spam", "scam"][i % 2],
        )
        if i % 2:
            report.assignee = assignee
            report.save(update_fields=["assignee"])
        ModerationWarning.objects.create(user=target_user, report=report, reason="spam")


@pytest.mark.parametrize(
    ("url_for", "who", "queries"),
    [
        (lambda: "/api/reports/", "mod", 3),
        (lambda: "/api/reports/?status=pending&reason=spam&assignee=none", "mod", 3),
        # + which of the page's targets moderation hides (for the links), one query
        (lambda: "/api/reports/mine/", "bob", 4),
        (lambda: "/api/reports/warnings/mine/", "alice", 3),
    ],
)
def test_list_query_count_is_pinned(
    as_user: Callable[[User], APIClient],
    django_assert_num_queries: Any,
    alice: User,
    bob: User,
    mod: User,
    url_for: Callable[[], str],
    who: str,
    queries: int,
) -> None:
    client = as_user({"mod": mod, "bob": bob, "alice": alice}[who])
    for n, offset in ((4, 0), (20, 1000)):  # then five times more rows
        _seed(n=n, reporter=bob, target_user=alice, assignee=mod, offset=offset)
        # 1 the user named by the token, 2 the page's COUNT, 3 the page (people joined).
        with django_assert_num_queries(queries):
            response = client.get(url_for())
        assert response.status_code == 200
        assert response.json()["results"]


def test_staff_list_filters(
    as_user: Callable[[User], APIClient], alice: User, bob: User, carol: User, mod: User
) -> None:
    make_report(reporter=bob, target_id=1, reason="spam", status="pending")
    make_report(reporter=bob, target_id=2, reason="scam", target_type="product")
    assigned = make_report(reporter=carol, target_id=3, reason="hate", status="in_review")
    assigned.assignee = mod
    assigned.save()
    make_report(reporter=carol, target_id=4, created_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
    client = as_user(mod)

    def uuids(**params: str) -> set[str]:
        response = client.get("/api/reports/", params)
        assert response.status_code == 200, response.json()
        return {r["target"] for r in response.json()["results"]}

    assert uuids() == {"1", "2", "3", "4"}
    assert uuids(status="in_review") == {"3"}
    assert uuids(target_type="product") == {"2"}
    assert uuids(reason="scam") == {"2"}
    assert uuids(assignee="MODERATOR1") == {"3"}
    assert uuids(assignee="none") == {"1", "2", "4"}
    assert uuids(**{"from": "2024-05-01", "to": "2024-05-01"}) == {"4"}
    assert "4" not in uuids(**{"from": "2024-05-02"})
    bad = client.get("/api/reports/", {"status": "closed"})
    assert bad.status_code == 400 and "status" in bad.json()["fields"]
    inverted = client.get("/api/reports/", {"from": "2024-05-02", "to": "2024-05-01"})
    assert inverted.status_code == 400


def test_staff_list_pages_by_number(
    as_user: Callable[[User], APIClient], bob: User, mod: User
) -> None:
    for i in range(5):
        make_report(reporter=bob, target_id=i)
    page = as_user(mod).get("/api/reports/", {"page_size": 2, "page": 3}).json()
    assert page["count"] == 5
    assert len(page["results"]) == 1
    assert page["next"] is None and page["previous"]


def test_open_means_pending_and_in_review(
    as_user: Callable[[User], APIClient], bob: User, mod: User
) -> None:
    for i, status in enumerate(["pending", "in_review", "resolved", "rejected"]):
        make_report(reporter=bob, target_id=100 + i, status=status)
    response = as_user(mod).get("/api/reports/", {"status": "open"})
    assert response.status_code == 200
    assert {r["status"] for r in response.json()["results"]} == {"pending", "in_review"}
    assert response.json()["count"] == 2
    assert as_user(mod).get("/api/reports/", {"status": "closed"}).status_code == 400
