from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from tangerine.core.models_jobs import Job
from tangerine.core.tasks import run_pending_jobs, task

pytestmark = pytest.mark.django_db

calls: list[int] = []
failures: dict[str, int] = {"left": 0}


@task
def record(*, value: int) -> None:
    calls.append(value)


@task
def flaky(*, value: int) -> None:
    if failures["left"] > 0:
        failures["left"] -= 1
        raise RuntimeError("not yet")
    calls.append(value)


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()
    failures["left"] = 0


def test_immediate_backend_runs_at_once(settings: object) -> None:
    settings.TASKS_BACKEND = "immediate"  # type: ignore[attr-defined]
    record.enqueue(value=1)
    assert calls == [1]


def test_thread_backend_runs_after_commit_in_the_background(
    settings: object, django_capture_on_commit_callbacks: object
) -> None:
    import time

    settings.TASKS_BACKEND = "thread"  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        with transaction.atomic():
            record.enqueue(value=2)
        assert calls == []  # nothing runs before the commit hooks fire
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == [2]


def test_database_backend_stores_jobs_and_the_worker_runs_them(settings: object) -> None:
    settings.TASKS_BACKEND = "database"  # type: ignore[attr-defined]
    record.enqueue(value=3)
    record.enqueue(value=4)
    assert calls == []
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 2
    call_command("run_worker", "--burst")
    assert sorted(calls) == [3, 4]
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}


def test_database_backend_retries_then_gives_up(settings: object) -> None:
    settings.TASKS_BACKEND = "database"  # type: ignore[attr-defined]
    settings.TASKS_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    failures["left"] = 5
    flaky.enqueue(value=5)
    assert run_pending_jobs() == 1
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    assert job.attempts == 1
    assert "not yet" in job.last_error
    Job.objects.update(run_after=job.created_at)  # due again now
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert calls == []
