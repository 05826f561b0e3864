"""Liveness and readiness: is this process up, and can it serve with its shared services?

``readiness()`` checks each component the process depends on, in parallel, each bounded by
``timeout`` seconds, and reports per component its status, whether it is required, and its
latency in milliseconds:

    database       SELECT 1 on the default connection                       required
    cache          a set and a get of a random value                        required
    channel_layer  PING for the Redis layers, a TCP connect for Pulsar      required
    storage        the bucket (HEAD) for S3, write access to the folders    required
    vector_store   TCP connect (server), then a count of the collection     optional
    job_queue      the queue's depth and oldest due job (database backend)  required

A required component that is down makes the whole answer "unavailable" (HTTP 503 from the view):
the load balancer then stops sending this process traffic. The vector store is optional because
search answers keyword-only without it (``degraded``), which is worse but still an answer.

Domain apps add figures to a component's report without ``core`` importing them, through
``register_detail`` at start-up (search adds the vector store's missing-vector count).
Error texts are never returned (they can name hosts and users); only the exception's class.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0


@dataclass
class CheckResult:
    name: str
    required: bool
    status: str = "ok"  # "ok", "down" or "timeout"
    latency_ms: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "required": self.required,
            "latency_ms": round(self.latency_ms, 2),
            **self.details,
        }


# --- registry of figures that domain apps add to a component's report -----------------------

_details: dict[tuple[str, str], Callable[[], Any]] = {}


def register_detail(*, check: str, key: str, fn: Callable[[], Any]) -> None:
    """Report ``fn()`` as ``key`` in ``check``'s answer (idempotent: the last one wins).

    ``fn`` runs in the check's thread, after the check itself succeeded; it must be cheap (it
    runs on every readiness probe) and may raise (then ``key`` is reported as null).
    """
    _details[(check, key)] = fn


def unregister_detail(*, check: str, key: str) -> None:
    _details.pop((check, key), None)


def registered_details() -> dict[tuple[str, str], Callable[[], Any]]:
    return dict(_details)


# --- the checks (each runs in a worker thread and raises when its component is down) ----------


def _uses_db(fn: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Close the worker thread's own database connection afterwards (no leak per probe)."""

    def run() -> dict[str, Any]:
        try:
            return fn()
        finally:
            connection.close()

    return run


@_uses_db
def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    from django.core.cache import caches

    cache = caches["default"]
    key = f"health:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)
    backend = str(settings.CACHES["default"]["BACKEND"])
    return {"backend": backend.rsplit(".", 1)[-1], "shared": "locmem" not in backend.lower()}


def _channel_layer_target() -> tuple[str, str | None]:
    """(kind, url) of the default channel layer: memory, redis or pulsar (url None: memory)."""
    config: dict[str, Any] = settings.CHANNEL_LAYERS.get("default", {})
    backend = str(config.get("BACKEND", ""))
    options: dict[str, Any] = config.get("CONFIG") or {}
    if "InMemory" in backend:
        return "memory", None
    if "pulsar" in backend.lower():
        return "pulsar", str(options.get("service_url", ""))
    hosts = options.get("hosts") or []
    host = hosts[0] if hosts else "redis://127.0.0.1:6379/0"
    if isinstance(host, dict):
        host = host.get("address", "")
    elif isinstance(host, (list, tuple)):
        host = f"redis://{host[0]}:{host[1]}/0"
    return "redis", str(host)


def check_channel_layer(timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    kind, url = _channel_layer_target()
    if url is None:
        return {"backend": kind, "shared": False}
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    else:
        parts = urlsplit(url)
        default_port = 6651 if parts.scheme.endswith("+ssl") else 6650
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=timeout
        ):
            pass
    return {"backend": kind, "shared": True}


def check_storage() -> dict[str, Any]:
    if settings.IMAGE_STORAGE == "s3":
        from tangerine.integrations import s3

        s3.s3_client().head_bucket(Bucket=settings.S3_BUCKET)
        return {"backend": "s3", "shared": True}
    for root in (Path(settings.MEDIA_ROOT), Path(settings.IMAGE_PRIVATE_ROOT)):
        root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".health-", dir=root)
        os.close(fd)
        os.unlink(name)
    return {"backend": "local", "shared": False}


def check_vector_store(timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    from tangerine.integrations import milvus

    uri = str(settings.MILVUS_URI)
    shared = "://" in uri
    if shared:
        # A TCP connection first: while the server is down the probe never enters pymilvus,
        # whose import and connection attempts hold the interpreter for seconds and would make
        # the other checks of the same probe time out (measured: 1 probe in 40 failed so).
        parts = urlsplit(uri)
        port = parts.port or (443 if parts.scheme == "https" else 19530)
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=timeout):
            pass
    if not milvus.available():
        raise milvus.VectorStoreUnavailableError("marked down after a recent failure")
    return {"vectors": milvus.count(), "shared": shared}


@_uses_db
def check_job_queue() -> dict[str, Any]:
    backend = settings.TASKS_BACKEND
    if backend != "database":
        return {"backend": backend, "shared": False}
    from django.db.models import Min
    from django.utils import timezone

    from tangerine.core.models_jobs import Job

    now = timezone.now()
    due = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=now)
    figures = due.aggregate(oldest=Min("run_after"))
    oldest = figures["oldest"]
    return {
        "backend": backend,
        "shared": True,
        "depth": due.count(),
        "oldest_due_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "failed": Job.objects.filter(status=Job.Status.FAILED).count(),
    }


@dataclass(frozen=True)
class Check:
    name: str
    fn: Callable[[], dict[str, Any]]
    required: bool


def default_checks(timeout: float = DEFAULT_TIMEOUT) -> list[Check]:
    return [
        Check("database", check_database, required=True),
        Check("cache", check_cache, required=True),
        Check("channel_layer", lambda: check_channel_layer(timeout), required=True),
        Check("storage", check_storage, required=True),
        Check("vector_store", lambda: check_vector_store(timeout), required=False),
        Check("job_queue", check_job_queue, required=True),
    ]


def _with_details(check: Check) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        details = check.fn()
        for (name, key), fn in registered_details().items():
            if name != check.name:
                continue
            try:
                details[key] = fn()
            except Exception as exc:
                logger.warning("Health detail %s.%s failed: %r", name, key, exc)
                details[key] = None
            finally:
                connection.close()
        return details

    return run


async def _run_one(check: Check, timeout: float) -> CheckResult:
    result = CheckResult(name=check.name, required=check.required)
    started = time.perf_counter()
    try:
        # A thread per check: a hung client cannot hold the event loop, only its own thread,
        # and the answer still comes after ``timeout``.
        result.details = await asyncio.wait_for(
            asyncio.to_thread(_with_details(check)), timeout=timeout
        )
    except TimeoutError:
        result.status = "timeout"
    except Exception as exc:
        result.status = "down"
        result.details = {"error": type(exc).__name__}
        logger.warning("Health check %s failed: %r", check.name, exc)
    result.latency_ms = (time.perf_counter() - started) * 1000
    return result


async def readiness(
    checks: list[Check] | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[bool, dict[str, Any]]:
    """(ready, report): ready is False when any required component is not "ok"."""
    checks = checks if checks is not None else default_checks(timeout)
    results = await asyncio.gather(*(_run_one(check, timeout) for check in checks))
    ready = all(r.status == "ok" for r in results if r.required)
    report = {
        "status": "ok" if ready else "unavailable",
        "checks": {r.name: r.as_dict() for r in results},
    }
    return ready, report
