"""Health endpoints for process managers and load balancers, mounted at ``/api/health/``.

    GET /api/health/        the original check: the process answers and the database does
    GET /api/health/live    the process answers (no I/O at all): restart it when this fails
    GET /api/health/ready   every shared component, with latency (core/health.py); 503 when a
                            required one is down: stop routing traffic here until it is back

config/urls.py routes ``/api/health/`` itself to core/views.py and the rest here.
This module is project wiring (``config``), so it may name domain apps: it adds search's count
of items without a vector to the vector store's report.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, re_path
from django.views.decorators.cache import never_cache

from tangerine.core import health


def _missing_vectors() -> int:
    from tangerine.search.services import missing_vector_count

    # max_age: answer from the last count and refresh it in the background (docs/search.md);
    # repair=False: a probe never sets off work.
    return missing_vector_count(max_age=30.0, repair=False)


health.register_detail(check="vector_store", key="missing_vectors", fn=_missing_vectors)


@never_cache
async def live(request: HttpRequest) -> JsonResponse:
    """The process runs and its event loop answers; touches no service."""
    return JsonResponse({"status": "ok"})


# The last answer of this process and when it was made (time.monotonic()).
_last: tuple[float, bool, dict[str, Any]] | None = None


@never_cache
async def ready(request: HttpRequest) -> JsonResponse:
    """Each component's status and latency; 503 when a required one is down.

    A probe checks every service (and writes to the cache and storage), and the endpoint is as
    public as the API: answers are reused for ``HEALTH_READY_CACHE_SECONDS`` (1 s), so a flood
    of probes costs the services at most one round of checks per second per process.
    """
    global _last  # one remembered answer per process
    max_age = float(getattr(settings, "HEALTH_READY_CACHE_SECONDS", 1.0))
    now = time.monotonic()
    if _last is not None and max_age > 0 and now - _last[0] < max_age:
        _, ok, report = _last
    else:
        timeout = float(getattr(settings, "HEALTH_CHECK_TIMEOUT", health.DEFAULT_TIMEOUT))
        ok, report = await health.readiness(timeout=timeout)
        _last = (time.monotonic(), ok, report)
    return JsonResponse(report, status=200 if ok else 503)


def forget_last_answer() -> None:
    """Tests: the next probe checks again."""
    global _last
    _last = None


urlpatterns: list[URLPattern] = [
    re_path(r"^live/?$", live, name="health-live"),
    re_path(r"^ready/?$", ready, name="health-ready"),
]
