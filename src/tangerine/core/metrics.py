"""Prometheus metrics (``prometheus-client``) and the ``/metrics`` endpoint.

Why ``prometheus-client`` and not ``django-prometheus``: we need a handful of product metrics
(chat messages, group_send latency, jobs, search, images) next to request latency, under names
we choose, with route labels bounded by the URL patterns; django-prometheus adds model and
database-wrapper instrumentation we do not want (it swaps the database backend, which our
SQLite writer queue and the psycopg pool already wrap). Each API process is one target: every
process keeps its own registry and Prometheus scrapes each (the Procfile runs separate uvicorn
processes, not a pre-fork server, so no multiprocess mode is needed).

``METRICS_ENABLED`` turns the endpoint on; it answers 404 to a caller that neither comes from an
address in ``METRICS_ALLOWED_IPS`` (CIDRs, loopback by default) nor sends
``Authorization: Bearer <METRICS_TOKEN>``. Recording is always on (cheap, in-process).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_request_seconds = Histogram(
    "tangerine_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and URL route.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
http_responses = Counter(
    "tangerine_http_responses_total",
    "HTTP responses by method, URL route and status code.",
    ["method", "route", "status"],
)
websockets_open = Gauge(
    "tangerine_websockets_open", "WebSocket connections open in this process, by route.", ["route"]
)
chat_messages_sent = Counter("tangerine_chat_messages_sent_total", "Chat messages stored.")
group_send_seconds = Histogram(
    "tangerine_channel_group_send_seconds",
    "Time of one channel-layer group_send (realtime fan-out).",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0),
)
group_send_failures = Counter(
    "tangerine_channel_group_send_failures_total",
    "group_send calls that failed or ran past their bound.",
)
job_seconds = Histogram(
    "tangerine_job_duration_seconds",
    "Background job run time, by task and outcome (ok, failed, timeout).",
    ["task", "outcome"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
job_failures = Counter(
    "tangerine_job_failures_total", "Background jobs that failed, by task.", ["task"]
)
job_queue_depth = Gauge(
    "tangerine_job_queue_depth", "Jobs waiting in the database queue (TASKS_BACKEND=database)."
)
search_seconds = Histogram(
    "tangerine_search_duration_seconds",
    "Time to answer a search, by kind.",
    ["kind"],
    buckets=_LATENCY_BUCKETS,
)
search_degraded = Counter(
    "tangerine_search_degraded_total",
    "Searches answered without the vector store (keyword ranking only).",
)
image_processing_seconds = Histogram(
    "tangerine_image_processing_seconds",
    "Time to validate an upload and write its variants, by outcome (ready, failed).",
    ["outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def _queue_depth() -> float:
    if settings.TASKS_BACKEND != "database":
        return 0.0
    from tangerine.core.models import Job

    try:
        return float(Job.objects.filter(status="queued").count())
    except Exception:  # a scrape must answer even while the database is away
        return float("nan")


job_queue_depth.set_function(_queue_depth)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that matched (``api/products/<str:uuid>/``), never the raw path, so the
    label's values stay as few as the routes; ``unmatched`` for 404s outside any route."""
    match = getattr(request, "resolver_match", None)
    return (match.route or match.view_name or "unmatched") if match else "unmatched"


class MetricsMiddleware:
    """Request latency and status counts by route (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method or "GET"
        http_request_seconds.labels(method, route).observe(time.perf_counter() - started)
        http_responses.labels(method, route, str(response.status_code)).inc()
        return response


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip(), token)
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics``: the text exposition format; 404 when off or for other callers."""
    if not settings.METRICS_ENABLED or not _allowed(request):
        return HttpResponseNotFound(b"Not found.", content_type="text/plain")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
