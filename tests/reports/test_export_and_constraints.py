"""Reports in "download my data", and the database-level one-open-report rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import Post
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_export_includes_my_reports_and_warnings_but_not_reports_about_me(
    file_report: Callable[..., Any],
    staff_patch: Callable[..., Any],
    as_user: Callable[[User], APIClient],
    alice: User,
    bob: User,
    alice_post: Post,
) -> None:
    uuid = file_report(bob, "post", alice_post.uuid, description="obvious spam").json()["uuid"]
    staff_patch(uuid, status="in_review", note="internal")
    staff_patch(uuid, status="resolved", actions=["warn_user"], reason="No spam please.")

    bob_export = as_user(bob).get("/api/accounts/export/")
    assert bob_export.status_code == 200
    mine = bob_export.json()["reports"]
    assert [r["uuid"] for r in mine["reports_filed"]] == [uuid]
    assert mine["reports_filed"][0]["actions"] == ["warn_user"]
    assert "internal" not in str(mine)

    alice_export = as_user(alice).get("/api/accounts/export/").json()["reports"]
    assert alice_export["reports_filed"] == []
    assert [w["message"] for w in alice_export["warnings_received"]] == ["No spam please."]
    assert "bob" not in str(alice_export)


def test_database_refuses_two_open_reports_from_one_reporter_on_one_target(bob: User) -> None:
    make_report(reporter=bob, target_id=7, status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(reporter=bob, target_id=7, status="in_review")
    # Closed ones do not count.
    make_report(reporter=bob, target_id=7, status="resolved")
    make_report(reporter=bob, target_id=7, status="rejected")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_duplicate_reports_create_exactly_one(alice: User, bob: User) -> None:
    import threading

    from django.db import connection

    from tangerine.reports.models import Report
    from tests.factories import make_post
    from tests.support.api import client_for

    post = make_post(author=alice)
    body = {"target_type": "post", "target": str(post.uuid), "reason": "spam"}
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def attempt() -> None:
        client = client_for(bob)
        barrier.wait()
        try:
            codes.append(client.post("/api/reports/", body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201] + [409] * 7
    assert Report.objects.filter(reporter=bob).count() == 1
