"""Background jobs behind one small interface.

    @task
    def image_process(*, image_id: int) -> None: ...

    image_process.enqueue(image_id=image.id)  # runs after the current transaction commits

Arguments are keyword-only and JSON-serialisable (ids, not model instances), because the durable
backend stores them. ``TASKS_BACKEND`` picks how jobs run:

- ``thread`` (default, ``make run``): in this process, on a small thread pool, after the commit;
  nothing survives a restart (periodic sweeps repair what a restart left half-done, below).
- ``immediate`` (tests): synchronously, right where it is enqueued, so a test sees the job's
  effect at once even inside the test's transaction (where on-commit hooks never fire).
- ``database`` (production): a ``Job`` row is written in the same transaction as the change that
  caused it (so a job is never lost nor run for a rolled-back change), and ``manage.py
  run_worker`` processes rows with retries and back-off.

Wall-clock limit: a job may run ``TASKS_JOB_TIMEOUT`` seconds (``@task(timeout=...)`` per task).
Past it the job is abandoned as failed (not retried: it would run out of time again) and the
task's ``on_timeout(**kwargs)`` hook records the failure on the domain object. In the worker
(main thread) a ``SIGALRM`` interrupts the job: its transaction rolls back. On the thread pool the
job runs in a helper thread that the pool thread stops waiting for, so the pool slot is free again
for other jobs (Python cannot stop a thread: the abandoned computation ends on its own, which the
decoders' input caps bound). A computation inside one C call is interrupted when the call returns.

Jobs that die: a ``running`` Job row whose worker was killed is requeued (or failed once it has
used its attempts) by the next ``run_pending_jobs`` after ``TASKS_JOB_TIMEOUT`` + 60 s, since no
live worker lets a job run that long.

Periodic sweeps: ``@periodic(every=seconds)`` registers a function run at most that often per
process. ``run_pending_jobs`` (the worker loop) runs the due ones; with the thread backend,
``start_periodic()`` (called by the ASGI entry point) runs them on a daemon thread. Apps' ``tasks``
modules are imported first, so their sweeps register themselves.
"""

from __future__ import annotations

import importlib
import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Generic, ParamSpec, overload

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from tangerine.core.context import current_request_id, request_id_as

logger = logging.getLogger(__name__)

P = ParamSpec("P")

_registry: dict[str, Task[Any]] = {}
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
# Thread backend: jobs of this process queued or running, as (task name, kwargs JSON).
_in_flight: set[tuple[str, str]] = set()
_in_flight_lock = threading.Lock()

# A ``running`` row older than the time limit plus this was left by a worker that died.
STALE_MARGIN_SECONDS = 60


class JobTimeout(BaseException):
    """A job ran past its wall-clock limit. A ``BaseException``, so a job's own broad
    ``except Exception`` (which turns bad input into a domain failure) does not swallow it."""


def _thread_pool() -> ThreadPoolExecutor:
    global _pool  # one pool per process, made on first use
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.TASKS_THREADS, thread_name_prefix="tangerine-task"
            )
        return _pool


def _flight_key(name: str, kwargs: dict[str, Any]) -> tuple[str, str]:
    return name, json.dumps(kwargs, sort_keys=True, default=str)


class Task(Generic[P]):
    def __init__(
        self,
        func: Callable[P, Any],
        *,
        timeout: float | None = None,
        on_timeout: Callable[..., Any] | None = None,
    ) -> None:
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        self.__doc__ = func.__doc__
        self._timeout = timeout
        self.on_timeout = on_timeout
        _registry[self.name] = self

    @property
    def timeout(self) -> float:
        return float(self._timeout if self._timeout is not None else settings.TASKS_JOB_TIMEOUT)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        return self.func(*args, **kwargs)

    def enqueue(self, **kwargs: Any) -> None:
        """Run this task with ``kwargs`` in the background once the transaction commits."""
        backend = settings.TASKS_BACKEND
        if backend == "database":
            from tangerine.core.models_jobs import Job

            Job.objects.create(name=self.name, kwargs=kwargs, request_id=current_request_id())
        elif backend == "immediate":
            self.func(**kwargs)  # type: ignore[call-arg]
        else:
            key = _flight_key(self.name, kwargs)
            queued_by = current_request_id()

            def submit() -> None:
                with _in_flight_lock:
                    _in_flight.add(key)
                _thread_pool().submit(_run_in_thread, self, kwargs, queued_by)

            transaction.on_commit(submit)

    def is_pending(self, **kwargs: Any) -> bool:
        """Whether a run of this task with exactly ``kwargs`` is queued or running (thread
        backend: in this process; database backend: any worker). Sweeps use it so as not to
        queue a second run of a job that is merely waiting its turn."""
        backend = settings.TASKS_BACKEND
        if backend == "database":
            from tangerine.core.models_jobs import Job

            lookups = {f"kwargs__{name}": value for name, value in kwargs.items()}
            return Job.objects.filter(
                name=self.name, status__in=[Job.Status.QUEUED, Job.Status.RUNNING], **lookups
            ).exists()
        if backend == "thread":
            with _in_flight_lock:
                return _flight_key(self.name, kwargs) in _in_flight
        return False


def _timed_out(job: Task[Any], kwargs: dict[str, Any]) -> None:
    if job.on_timeout is None:
        return
    try:
        job.on_timeout(**kwargs)
    except Exception:
        logger.exception("The time-out hook of %s failed", job.name)


def _call_in_main_thread(job: Task[Any], kwargs: dict[str, Any], *, atomic: bool) -> None:
    """Run ``job`` here with a ``SIGALRM`` at its time limit (main thread only)."""

    def alarm(*_: object) -> None:
        raise JobTimeout(f"{job.name} ran longer than {job.timeout:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, job.timeout)
    try:
        if atomic:
            with transaction.atomic():
                job.func(**kwargs)
        else:
            job.func(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call_in_helper_thread(job: Task[Any], kwargs: dict[str, Any]) -> None:
    """Run ``job`` on a helper thread and wait at most its time limit for it."""
    failure: list[BaseException] = []

    def target() -> None:
        close_old_connections()
        try:
            job.func(**kwargs)
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)
        finally:
            connection.close()

    helper = threading.Thread(target=target, name=f"{job.name}-run", daemon=True)
    helper.start()
    helper.join(job.timeout)
    if helper.is_alive():
        raise JobTimeout(f"{job.name} ran longer than {job.timeout:g} s (left running)")
    if failure:
        raise failure[0]


def call_with_time_limit(job: Task[Any], kwargs: dict[str, Any], *, atomic: bool = False) -> None:
    """Run ``job(**kwargs)``; past its time limit call its ``on_timeout`` and raise
    ``JobTimeout``. ``atomic``: in one transaction (main thread; a helper thread commits as it
    goes)."""
    from tangerine.core import metrics

    started = time.perf_counter()
    outcome = "ok"
    try:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            _call_in_main_thread(job, kwargs, atomic=atomic)
        else:
            _call_in_helper_thread(job, kwargs)
    except JobTimeout:
        outcome = "timeout"
        _timed_out(job, kwargs)
        raise
    except Exception:
        outcome = "failed"
        raise
    finally:
        metrics.job_seconds.labels(job.name, outcome).observe(time.perf_counter() - started)
        if outcome != "ok":
            metrics.job_failures.labels(job.name).inc()


def _run_in_thread(job: Task[Any], kwargs: dict[str, Any], queued_by: str = "-") -> None:
    close_old_connections()
    try:
        with request_id_as(queued_by):
            call_with_time_limit(job, kwargs)
    except JobTimeout as exc:
        logger.error("Background task %s timed out: %s", job.name, exc)
    except Exception:
        logger.exception("Background task %s failed", job.name)
    finally:
        with _in_flight_lock:
            _in_flight.discard(_flight_key(job.name, kwargs))
        connection.close()


@overload
def task(func: Callable[P, Any], /) -> Task[P]: ...
@overload
def task(
    *, timeout: float | None = None, on_timeout: Callable[..., Any] | None = None
) -> Callable[[Callable[P, Any]], Task[P]]: ...
def task(
    func: Callable[P, Any] | None = None,
    /,
    *,
    timeout: float | None = None,
    on_timeout: Callable[..., Any] | None = None,
) -> Task[P] | Callable[[Callable[P, Any]], Task[P]]:
    """Declare a background task (see the module docstring): ``@task`` or
    ``@task(timeout=seconds, on_timeout=hook)``; ``hook(**kwargs)`` records a time-out."""
    if func is not None:
        return Task(func)

    def wrap(inner: Callable[P, Any]) -> Task[P]:
        return Task(inner, timeout=timeout, on_timeout=on_timeout)

    return wrap


def task_by_name(name: str) -> Task[Any]:
    if name not in _registry:
        module_name = name.rsplit(".", 1)[0]
        importlib.import_module(module_name)
    return _registry[name]


def requeue_stale_jobs() -> int:
    """Requeue ``running`` jobs whose worker died (older than the time limit plus a margin);
    those that used all their attempts fail. Returns how many rows changed."""
    from tangerine.core.models_jobs import Job

    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_JOB_TIMEOUT + STALE_MARGIN_SECONDS)
    changed = 0
    with transaction.atomic():
        stale = list(
            Job.objects.select_for_update(skip_locked=True).filter(
                status=Job.Status.RUNNING, updated_at__lt=cutoff
            )[:100]
        )
        for job in stale:
            try:
                limit = task_by_name(job.name).timeout
            except (ImportError, KeyError):
                limit = settings.TASKS_JOB_TIMEOUT
            if job.updated_at >= timezone.now() - timedelta(seconds=limit + STALE_MARGIN_SECONDS):
                continue  # a task with a longer limit may still be running
            job.last_error = "The worker stopped while this job ran (requeued on recovery)."
            if job.attempts >= settings.TASKS_MAX_ATTEMPTS:
                job.status = Job.Status.FAILED
            else:
                job.status = Job.Status.QUEUED
                job.run_after = timezone.now()
            job.save(update_fields=["status", "last_error", "run_after", "updated_at"])
            changed += 1
    if changed:
        logger.warning("Recovered %d job(s) left running by a stopped worker", changed)
    return changed


def run_pending_jobs(
    *, limit: int = 100, periodic: bool = True, stop: Callable[[], bool] | None = None
) -> int:
    """Run up to ``limit`` due jobs of the database backend; returns how many were attempted.

    Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so several workers
    can run side by side. A failed job is retried with exponential back-off until
    ``TASKS_MAX_ATTEMPTS``, then left as ``failed`` with its error; a job past its time limit
    fails at once. First, jobs left ``running`` by a dead worker are requeued and (``periodic``)
    the periodic sweeps that are due run. ``stop()`` is asked before each job: a worker told to
    shut down finishes the job in hand and claims no other. Each job runs under the request id
    of whoever queued it.
    """
    from tangerine.core.models_jobs import Job

    if periodic:
        run_due_periodic()
    requeue_stale_jobs()
    done = 0
    while done < limit and not (stop is not None and stop()):
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
            with request_id_as(job.request_id):
                call_with_time_limit(task_by_name(job.name), job.kwargs, atomic=True)
        except JobTimeout as exc:
            logger.error("Job %s (%s) timed out", job.id, job.name)
            # The alarm may have interrupted a query: reconnect if that broke the connection.
            if (
                connection.connection is not None
                and not connection.in_atomic_block
                and not connection.is_usable()
            ):
                connection.close()
            job.last_error = f"JobTimeout: {exc}"[:1000]
            job.status = Job.Status.FAILED
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


# --- periodic sweeps ------------------------------------------------------------------------


class _Periodic:
    def __init__(self, func: Callable[[], Any], every: float) -> None:
        self.func = func
        self.every = every
        self.name = f"{func.__module__}.{func.__qualname__}"
        self.last: float | None = None  # monotonic time of the last run in this process


_periodics: dict[str, _Periodic] = {}
_periodic_lock = threading.Lock()
_periodic_thread: threading.Thread | None = None
_periodic_stop = threading.Event()
_discovered = False


def periodic(*, every: float) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register ``func()`` to run at most every ``every`` seconds (see the module docstring)."""

    def wrap(func: Callable[[], Any]) -> Callable[[], Any]:
        entry = _Periodic(func, every)
        _periodics[entry.name] = entry
        return func

    return wrap


def _discover() -> None:
    global _discovered  # once per process
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        _discovered = True


def run_due_periodic(*, force: bool = False) -> dict[str, Any]:
    """Run the registered sweeps that are due (all with ``force``); returns their results by
    name. A failing sweep is logged and retried at its next turn."""
    _discover()
    results: dict[str, Any] = {}
    now = time.monotonic()
    with _periodic_lock:
        due = [
            entry
            for entry in _periodics.values()
            if force or entry.last is None or now - entry.last >= entry.every
        ]
        for entry in due:
            entry.last = now
    for entry in due:
        try:
            results[entry.name] = entry.func()
        except Exception:
            logger.exception("Periodic sweep %s failed", entry.name)
    return results


def start_periodic(*, first_delay: float = 10.0, tick: float = 30.0) -> bool:
    """With the thread backend, run the periodic sweeps on a daemon thread of this process
    (first after ``first_delay`` s, then every ``tick`` s check which are due). Idempotent;
    returns whether a thread was started. Other backends: the worker runs them."""
    global _periodic_thread  # one per process
    if settings.TASKS_BACKEND != "thread":
        return False
    with _periodic_lock:
        if _periodic_thread is not None and _periodic_thread.is_alive():
            return False
        _periodic_stop.clear()
        _periodic_thread = threading.Thread(
            target=_periodic_loop, args=(first_delay, tick), name="tangerine-periodic", daemon=True
        )
        _periodic_thread.start()
    return True


def stop_periodic(timeout: float = 10.0) -> None:
    _periodic_stop.set()
    thread = _periodic_thread
    if thread is not None:
        thread.join(timeout)


def _periodic_loop(first_delay: float, tick: float) -> None:
    delay = first_delay
    while not _periodic_stop.wait(delay):
        close_old_connections()
        try:
            run_due_periodic()
        finally:
            connection.close()
        delay = tick
