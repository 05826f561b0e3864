"""What one staff PATCH costs in queries, named one by one and pinned.

Before the one-way architecture a resolve-and-hide cost 25 statements: the view read the report
with its notes and history (3) only to pass it to the service, which read it again under its
lock, and the response read all of it once more. Now the lock's query joins the people, the
audit rows go in one INSERT, and the response reuses the locked report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tangerine.accounts.models import User
from tangerine.posts.models import Post

# Statements of one PATCH that resolves a report on a post with hide_content and a note, not
# counting the test client's authentication (token lookup and user) and savepoints:
#  1 the report, locked, with reporter, target user and assignee (and their images) joined
#  2 the reported post (does it still exist?)
#  3 INSERT the note
#  4 UPDATE the report's status
#  5 UPDATE the post's hidden_at (the posts app's own service)
#  6 UPSERT the post's moderation state (ContentHiding: what the author may appeal)
#  7 INSERT the author's content_hidden notification
#  8 INSERT the three audit rows (note, status, hide_content) at once
#  9 INSERT the reporter's notification
# 10 the notes of the report, 11 its history (for the response)
# 12-14 the live post with its tags and images (for the response)
# (The notifications app's own reads to render a notification for the socket are not counted:
# they belong to that app.)
PATCH_QUERIES = 14
# A read of the notifications app's own tables (preferences, the socket event's rendering).
_NOTIFICATIONS_READ = re.compile(r'SELECT .*? FROM "notifications_', re.DOTALL)


@pytest.fixture
def report_on_post(file_report: Callable[..., Any], bob: User, alice_post: Post) -> str:
    response = file_report(bob, "post", alice_post.uuid, reason="spam")
    assert response.status_code == 201
    return str(response.json()["uuid"])


def _patch_statements(patch: Callable[..., Any], report_uuid: str, **body: Any) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = patch(report_uuid, **body)
    assert response.status_code == 200, response.content
    statements = [q["sql"] for q in ctx.captured_queries]
    work = [
        sql
        for sql in statements
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        and "token_blacklist" not in sql
        and not sql.startswith('SELECT "accounts_user"."id", "accounts_user"."password"')
        and not _NOTIFICATIONS_READ.match(sql)
    ]
    return work


def test_resolving_with_hide_costs_a_fixed_number_of_queries(
    staff_patch: Callable[..., Any], report_on_post: str
) -> None:
    staff_patch(report_on_post, status="in_review")
    work = _patch_statements(
        staff_patch, report_on_post, status="resolved", actions=["hide_content"], note="spam"
    )
    assert len(work) == PATCH_QUERIES, "\n".join(work)
    assert sum(sql.startswith('INSERT INTO "reports_auditlog"') for sql in work) == 1


def test_a_long_history_does_not_add_queries(
    staff_patch: Callable[..., Any], report_on_post: str
) -> None:
    for i in range(5):
        staff_patch(report_on_post, note=f"note {i}")
    staff_patch(report_on_post, status="in_review")
    work = _patch_statements(
        staff_patch, report_on_post, status="resolved", actions=["hide_content"], note="spam"
    )
    assert len(work) == PATCH_QUERIES, "\n".join(work)
