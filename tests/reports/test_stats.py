"""GET /api/reports/stats/: the numbers add up, every day is present, the median is right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tests.factories import make_report

pytestmark = pytest.mark.django_db

STATS = "/api/reports/stats/"


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def seeded(bob: User, carol: User) -> None:
    """Reports over 1-10 March 2025; 4 March has none. Two outside the range (28 Feb, 11 Mar)."""
    rows: list[dict[str, Any]] = [
        {"created_at": _at(1), "reason": "spam"},
        {"created_at": _at(1, 23), "reason": "scam", "target_type": "product"},
        # Resolved after 1 hour, 3 hours, 5 hours: median 3 hours.
        {"created_at": _at(2), "status": "resolved", "closed_at": _at(2, 13)},
        {"created_at": _at(3), "status": "resolved", "closed_at": _at(3, 15), "reason": "hate"},
        {
            "created_at": _at(5),
            "status": "resolved",
            "closed_at": _at(5, 17),
            "target_type": "user",
        },
        # Rejected after 24 hours: counted in the close median, not the resolution median.
        {"created_at": _at(6), "status": "rejected", "closed_at": _at(7)},
        {"created_at": _at(10, 0), "status": "in_review", "target_type": "comment"},
        {"created_at": datetime(2025, 2, 28, 23, 59, tzinfo=UTC)},
        {"created_at": datetime(2025, 3, 11, 0, 0, tzinfo=UTC)},
    ]
    for n, row in enumerate(rows):
        make_report(reporter=bob if n % 2 else carol, target_id=n + 1, **row)


def test_stats_add_up_and_include_every_day(
    seeded: None, as_user: Callable[[User], APIClient], mod: User
) -> None:
    response = as_user(mod).get(STATS, {"from": "2025-03-01", "to": "2025-03-10"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["from"] == "2025-03-01" and body["to"] == "2025-03-10"
    assert body["total"] == 7
    per_day = {row["date"]: row["count"] for row in body["per_day"]}
    assert list(per_day) == [(date(2025, 3, 1) + timedelta(days=i)).isoformat() for i in range(10)]
    assert per_day["2025-03-01"] == 2
    assert per_day["2025-03-04"] == 0
    assert per_day["2025-03-10"] == 1
    assert sum(per_day.values()) == body["total"]
    for key in ("by_status", "by_target_type", "by_reason"):
        assert sum(body[key].values()) == body["total"], key
    assert body["by_status"] == {"pending": 2, "in_review": 1, "resolved": 3, "rejected": 1}
    assert body["by_target_type"]["chat_message"] == 0
    assert body["by_target_type"]["post"] == 4
    assert body["by_reason"]["misinformation"] == 0
    assert body["by_reason"]["spam"] == 5
    assert body["resolved_count"] == 3
    assert body["median_resolution_seconds"] == 3 * 3600
    assert body["median_close_seconds"] == (3 * 3600 + 5 * 3600) / 2
    assert body["open_now"] == 5


def test_empty_range_is_all_zeros_and_null_medians(
    as_user: Callable[[User], APIClient], mod: User
) -> None:
    body = as_user(mod).get(STATS, {"from": "2024-01-01", "to": "2024-01-03"}).json()
    assert body["total"] == 0
    assert [row["count"] for row in body["per_day"]] == [0, 0, 0]
    assert body["median_resolution_seconds"] is None
    assert set(body["by_reason"]) == {
        "spam",
        "scam",
        "counterfeit",
        "harassment",
        "hate",
        "sexual",
        "violence",
        "illegal",
        "misinformation",
        "other",
        "copied_photo",
    }


def test_default_range_is_the_last_30_days(
    as_user: Callable[[User], APIClient], mod: User, bob: User
) -> None:
    make_report(reporter=bob, target_id=1)
    body = as_user(mod).get(STATS).json()
    assert len(body["per_day"]) == 30
    assert body["per_day"][-1]["count"] == 1
    assert body["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-03-10", "to": "2025-03-01"}, "to"),
        ({"from": "yesterday", "to": "2025-03-01"}, "from"),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "to"),
    ],
)
def test_bad_ranges_are_400(
    as_user: Callable[[User], APIClient], mod: User, params: dict[str, str], field: str
) -> None:
    response = as_user(mod).get(STATS, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_stats_cost_a_fixed_number_of_queries(
    as_user: Callable[[User], APIClient],
    mod: User,
    bob: User,
    django_assert_num_queries: Any,
) -> None:
    client = as_user(mod)
    params = {"from": "2025-03-01", "to": "2025-03-10"}
    for rows in (5, 25):
        for n in range(rows):
            make_report(
                reporter=bob,
                target_id=rows * 100 + n,
                created_at=_at(1 + n % 10),
                status="resolved",
                closed_at=_at(1 + n % 10, 20),
            )
        # 1 the staff user (token), 2 grouped counts, 3 per day, 4 durations, 5 open queue.
        with django_assert_num_queries(5):
            assert client.get(STATS, params).status_code == 200
