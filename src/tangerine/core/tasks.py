"""Background jobs behind one small interface.

    @task
    def image_process(*, image_id: int) -> None: ...

    image_process.enqueue(image_id=image.id)  # runs after the current transaction commits

Arguments are keyword-only and JSON-serialisable (ids, not model instances), because the durable
backend stores them. ``TASKS_BACKEND`` picks how jobs run:

- ``thread`` (default, ``make run``): in this process, on a small thread pool, after the commit;
  nothing survives a restart.
- ``immediate`` (tests): synchronously, right where it is enqueued, so a test sees the job's
  effect at once even inside the test's transaction (where on-commit hooks never fire).
- ``database`` (production): a ``Job`` row is written in the same transaction as the change that
  caused it (so a job is never lost nor run for a rolled-back change), and ``manage.py
  run_worker`` processes rows with retries and back-off.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Generic, ParamSpec

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

P = ParamSpec("P")

_registry: dict[str, Task[Any]] = {}
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool  # one pool per process, made on first use
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.TASKS_THREADS, thread_name_prefix="tangerine-task"
            )
        return _pool


class Task(Generic[P]):
    def __init__(self, func: Callable[P, Any]) -> None:
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        self.__doc__ = func.__doc__
        _registry[self.name] = self

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        return self.func(*args, **kwargs)

    def enqueue(self, **kwargs: Any) -> None:
        """Run this task with ``kwargs`` in the background once the transaction commits."""
        backend = settings.TASKS_BACKEND
        if backend == "database":
            from tangerine.core.models_jobs import Job

            Job.objects.create(name=self.name, kwargs=kwargs)
        elif backend == "immediate":
            self.func(**kwargs)  # type: ignore[call-arg]
        else:
            transaction.on_commit(lambda: _thread_pool().submit(_run_in_thread, self, kwargs))


def _run_in_thread(job: Task[Any], kwargs: dict[str, Any]) -> None:
    close_old_connections()
    try:
        job.func(**kwargs)
    except Exception:
        logger.exception("Background task %s failed", job.name)
    finally:
        connection.close()


def task(func: Callable[P, Any]) -> Task[P]:
    """Declare a background task (see the module docstring)."""
    return Task(func)


def task_by_name(name: str) -> Task[Any]:
    if name not in _registry:
        module_name = name.rsplit(".", 1)[0]
        importlib.import_module(module_name)
    return _registry[name]


def run_pending_jobs(*, limit: int = 100) -> int:
    """Run up to ``limit`` due jobs of the database backend; returns how many were attempted.

    Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so several workers
    can run side by side. A failed job is retried with exponential back-off until
    ``TASKS_MAX_ATTEMPTS``, then left as ``failed`` with its error.
    """
    from tangerine.core.models_jobs import Job

    done = 0
    while done < limit:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(status=Job.Status.QUEUED, run_after__lte=timezone.now())
                .order_by("run_after", "id")
                .first()
            )
            if job is None:
                break
            job.status = Job.Status.RUNNING
            job.attempts += 1
            job.save(update_fields=["status", "attempts", "updated_at"])
        done += 1
        try:
            with transaction.atomic():
                task_by_name(job.name).func(**job.kwargs)
        except Exception as exc:
            logger.exception("Job %s (%s) failed", job.id, job.name)
            job.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if job.attempts >= settings.TASKS_MAX_ATTEMPTS:
                job.status = Job.Status.FAILED
            else:
                job.status = Job.Status.QUEUED
                job.run_after = timezone.now() + timedelta(seconds=2**job.attempts)
        else:
            job.status = Job.Status.DONE
        job.save(update_fields=["status", "last_error", "run_after", "updated_at"])
    return done
