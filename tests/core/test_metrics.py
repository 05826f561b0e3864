"""Prometheus metrics at /metrics (core/metrics.py): who may read them and what they count."""

from __future__ import annotations

import asyncio
import ipaddress
import uuid
from typing import Any

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from tangerine.core import metrics, sockets
from tangerine.core.realtime import group_send_bounded
from tangerine.core.tasks import run_pending_jobs, task

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    value = REGISTRY.get_sample_value(name, labels)
    return value or 0.0


@pytest.fixture
def on(settings: Any) -> Any:
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = "scrape-token-123"
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    return settings


def test_off_by_default_is_404(settings: Any) -> None:
    settings.METRICS_ENABLED = False
    assert Client().get("/metrics").status_code == 404


def test_allowed_addresses_and_the_token_read_others_get_404(on: Any) -> None:
    inside = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert inside.status_code == 200
    assert inside["Content-Type"].startswith("text/plain")
    outside = Client(REMOTE_ADDR="203.0.113.7")
    assert outside.get("/metrics").status_code == 404
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    token = outside.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-123")
    assert token.status_code == 200


def test_requests_are_counted_by_route_not_by_path(on: Any) -> None:
    route = "api/products/<str:uuid>/"
    before = sample("tangerine_http_responses_total", method="GET", route=route, status="404")
    client = Client()
    for _ in range(3):
        assert client.get(f"/api/products/{uuid.uuid4()}/").status_code == 404
    after = sample("tangerine_http_responses_total", method="GET", route=route, status="404")
    assert after - before == 3
    body = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    assert 'tangerine_http_request_duration_seconds_count{method="GET",route="' + route in body
    # No raw uuids in any label: the label set stays as small as the URL patterns.
    assert "/api/products/" not in body


_ran: list[int] = []


@task
def _metrics_probe(*, fail: bool) -> None:
    if fail:
        raise RuntimeError("boom")
    _ran.append(1)


def test_jobs_are_timed_and_failures_counted(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    settings.TASKS_MAX_ATTEMPTS = 1
    name = _metrics_probe.name
    ok_before = sample("tangerine_job_duration_seconds_count", task=name, outcome="ok")
    failed_before = sample("tangerine_job_failures_total", task=name)
    _metrics_probe.enqueue(fail=False)
    _metrics_probe.enqueue(fail=True)
    assert metrics._queue_depth() == 2
    run_pending_jobs()
    assert metrics._queue_depth() == 0
    assert sample("tangerine_job_duration_seconds_count", task=name, outcome="ok") - ok_before == 1
    assert sample("tangerine_job_failures_total", task=name) - failed_before == 1


def test_group_send_latency_is_observed() -> None:
    before = sample("tangerine_channel_group_send_seconds_count")
    assert asyncio.run(group_send_bounded("metrics-test", {"type": "noop"}))
    assert sample("tangerine_channel_group_send_seconds_count") - before == 1


def test_websocket_routes_collapse_ids() -> None:
    assert sockets._route("/ws/chat/3f2a/") == "/ws/chat/*/"
    assert sockets._route("/ws/notifications/") == "/ws/notifications/"


def test_open_websockets_are_counted_until_they_close() -> None:
    from tests.support.chat import WebsocketCommunicator

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        message = await receive()
        if message["type"] == "websocket.receive":
            await send({"type": "websocket.close", "code": 1000})

    async def scenario() -> tuple[float, float]:
        socket = WebsocketCommunicator(sockets.TrackedWebSockets(echo), "/ws/chat/")
        connected, _ = await socket.connect()
        assert connected
        during = sample("tangerine_websockets_open", route="/ws/chat/")
        await socket.send_to(text_data="bye")
        await socket.receive_output()  # the close
        await socket.wait()
        return during, sample("tangerine_websockets_open", route="/ws/chat/")

    base = sample("tangerine_websockets_open", route="/ws/chat/")
    during, after = asyncio.run(scenario())
    assert during - base == 1
    assert after == base


def test_stored_chat_messages_are_counted(django_capture_on_commit_callbacks: Any) -> None:
    from tangerine.chats import services
    from tests.factories import UserFactory, make_room

    alice, bob = UserFactory.create(), UserFactory.create()
    room = make_room(alice, bob)
    before = sample("tangerine_chat_messages_sent_total")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(sender=alice, room_uuid=room.uuid, text="안녕", client_id="m-1")
        services.message_send(sender=alice, room_uuid=room.uuid, text="안녕", client_id="m-1")
    assert sample("tangerine_chat_messages_sent_total") - before == 1  # the resend is no new one
