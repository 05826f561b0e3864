"""Who may see and change reports: staff only, except one's own list and warnings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import Post
from tangerine.reports.models import AppendOnlyError, AuditLog, Report
from tests.support.api import REPORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_uuid(file_report: Callable[..., Any], bob: User, alice_post: Post) -> str:
    return str(file_report(bob, "post", alice_post.uuid).json()["uuid"])


STAFF_READS = ["", "stats/"]


@pytest.mark.parametrize("suffix", STAFF_READS)
def test_staff_reads_are_401_for_anonymous_and_403_for_users(
    anon: APIClient,
    as_user: Callable[[User], APIClient],
    bob: User,
    carol: User,
    report_uuid: str,
    suffix: str,
) -> None:
    assert anon.get(f"{REPORTS}{suffix}").status_code == 401
    # bob filed the report and still may not see the staff views.
    for user in (bob, carol):
        response = as_user(user).get(f"{REPORTS}{suffix}")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_report_detail_and_patch_are_staff_only(
    anon: APIClient,
    as_user: Callable[[User], APIClient],
    bob: User,
    carol: User,
    alice: User,
    report_uuid: str,
) -> None:
    url = f"{REPORTS}{report_uuid}/"
    assert anon.get(url).status_code == 401
    assert anon.patch(url, {"status": "in_review"}, format="json").status_code == 401
    for user in (bob, carol, alice):
        assert as_user(user).get(url).status_code == 403
        assert as_user(user).patch(url, {"status": "in_review"}, format="json").status_code == 403
    report = Report.objects.get(uuid=report_uuid)
    assert report.status == "pending"
    assert AuditLog.objects.filter(report=report).count() == 1


def test_staff_get_404_for_missing_or_malformed_report(
    as_user: Callable[[User], APIClient], mod: User
) -> None:
    assert as_user(mod).get(f"{REPORTS}{uuid.uuid4()}/").status_code == 404
    assert as_user(mod).get(f"{REPORTS}not-a-uuid/").status_code == 404
    missing = as_user(mod).patch(f"{REPORTS}{uuid.uuid4()}/", {"note": "x"}, format="json")
    assert missing.status_code == 404


def test_mine_lists_only_my_reports(
    file_report: Callable[..., Any],
    as_user: Callable[[User], APIClient],
    anon: APIClient,
    bob: User,
    carol: User,
    alice_post: Post,
) -> None:
    file_report(bob, "post", alice_post.uuid)
    file_report(carol, "user", "alice")
    bob_mine = as_user(bob).get(f"{REPORTS}mine/").json()
    assert [r["target_type"] for r in bob_mine["results"]] == ["post"]
    carol_mine = as_user(carol).get(f"{REPORTS}mine/").json()
    assert [r["target"] for r in carol_mine["results"]] == ["alice"]
    assert anon.get(f"{REPORTS}mine/").status_code == 401
    assert anon.get(f"{REPORTS}warnings/mine/").status_code == 401


def test_staff_can_list_read_and_see_stats(
    as_user: Callable[[User], APIClient], mod: User, report_uuid: str
) -> None:
    client = as_user(mod)
    listed = client.get(REPORTS).json()
    assert [r["uuid"] for r in listed["results"]] == [report_uuid]
    assert listed["results"][0]["reporter"]["handle"] == "bob"
    detail = client.get(f"{REPORTS}{report_uuid}/").json()
    assert detail["live_target"]["uuid"] == detail["evidence"]["uuid"]
    assert client.get(f"{REPORTS}stats/").status_code == 200


def test_audit_log_is_append_only_in_code(report_uuid: str) -> None:
    row = AuditLog.objects.get(report__uuid=report_uuid)
    row.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(reason="rewritten")
    assert AuditLog.objects.get(pk=row.pk).reason == ""


def test_deleting_accounts_keeps_reports_and_audit(
    report_uuid: str, bob: User, alice: User
) -> None:
    bob.delete()
    alice.delete()
    report = Report.objects.get(uuid=report_uuid)
    assert report.reporter is None and report.target_user is None
    row = AuditLog.objects.get(report=report)
    assert row.actor is None and row.actor_handle == "bob"


def test_admin_is_read_only(client: Any, mod: User, report_uuid: str) -> None:
    mod.is_superuser = True
    mod.save()
    client.force_login(mod)
    report = Report.objects.get(uuid=report_uuid)
    audit = AuditLog.objects.get(report=report)
    assert client.get("/admin/reports/report/", secure=True).status_code == 200
    assert client.get(f"/admin/reports/report/{report.pk}/change/", secure=True).status_code == 200
    assert client.get("/admin/reports/auditlog/", secure=True).status_code == 200
    assert client.get("/admin/reports/auditlog/add/", secure=True).status_code == 403
    deleted = client.post(
        f"/admin/reports/auditlog/{audit.pk}/delete/", {"post": "yes"}, secure=True
    )
    assert deleted.status_code == 403
    changed = client.post(
        f"/admin/reports/report/{report.pk}/change/", {"status": "resolved"}, secure=True
    )
    assert changed.status_code == 403
    assert Report.objects.get(pk=report.pk).status == "pending"
    assert AuditLog.objects.filter(pk=audit.pk).exists()
