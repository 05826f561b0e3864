"""The request id follows a request into the jobs it queues and the events it publishes."""

from __future__ import annotations

import logging
import signal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management import call_command

from tangerine.core.context import current_request_id, new_request_id, request_id_as
from tangerine.core.models import Job
from tangerine.core.realtime import publish
from tangerine.core.tasks import run_pending_jobs, task

pytestmark = pytest.mark.django_db

seen: list[str] = []


@task
def _remember_request_id(*, n: int) -> None:
    seen.append(current_request_id())
    logging.getLogger("tangerine.test").info("job %s ran", n)


@pytest.fixture(autouse=True)
def _clear() -> None:
    seen.clear()


def test_a_database_job_runs_under_the_id_of_the_request_that_queued_it(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    with request_id_as("req-abc-123"):
        _remember_request_id.enqueue(n=1)
    assert Job.objects.get().request_id == "req-abc-123"
    run_pending_jobs()
    assert seen == ["req-abc-123"]


def test_a_job_queued_outside_a_request_gets_an_id_of_its_own(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    _remember_request_id.enqueue(n=2)
    run_pending_jobs()
    assert len(seen) == 1
    assert seen[0] not in {"", "-"}


def test_published_events_carry_the_request_id() -> None:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("rid-test", channel)
    with request_id_as("req-xyz"):
        publish(group="rid-test", event={"type": "noop"})
    assert async_to_sync(layer.receive)(channel) == {"type": "noop", "request_id": "req-xyz"}
    publish(group="rid-test", event={"type": "noop"})  # outside a request: nothing added
    assert async_to_sync(layer.receive)(channel) == {"type": "noop"}


def test_the_worker_stops_after_the_job_in_hand(settings: Any) -> None:
    """SIGTERM while a job runs: that job finishes, the others stay queued; the worker puts the
    signal handlers it found back when it returns."""
    settings.TASKS_BACKEND = "database"
    for n in range(3):
        _terminate_self.enqueue(n=n)
    before = signal.getsignal(signal.SIGTERM)
    call_command("run_worker", "--burst")
    assert Job.objects.filter(status=Job.Status.DONE).count() == 1
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 2
    assert signal.getsignal(signal.SIGTERM) is before


@task
def _terminate_self(*, n: int) -> None:
    signal.raise_signal(signal.SIGTERM)  # the worker's handler only sets a flag


def test_a_chat_socket_handles_each_event_under_the_id_that_caused_it() -> None:
    from tangerine.chats.consumers import ChatConsumer

    handled: list[str] = []

    class Probe(ChatConsumer):
        async def probe(self, event: dict[str, Any]) -> None:
            handled.append(current_request_id())

    consumer = Probe()
    async_to_sync(consumer.dispatch)({"type": "probe", "request_id": "req-from-http"})
    async_to_sync(consumer.dispatch)({"type": "probe"})  # a client frame: an id of its own
    assert handled[0] == "req-from-http"
    assert handled[1] not in {"-", "req-from-http"}
    assert current_request_id() == "-"  # nothing leaks out of the handler


def test_new_request_ids_are_32_hex_digits_and_do_not_repeat() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert len(set(ids)) == len(ids)
    with request_id_as(None) as given, request_id_as("-") as other:
        assert given != other and len(given) == len(other) == 32
