"""Fault tests: the channel layer's broker or the database connections die during a chat.

The rule under test (SECURITY.md, "Reliability"): the database is the mailbox and the channel
layer only the doorbell. Whatever breaks, a ``message.ack`` is only ever sent for a message that
is stored, a resend of the same ``client_id`` stores nothing new, and a client that reconnects
and catches up over ``?after_seq=`` ends with exactly the database's rows, in order.

Each test starts its own uvicorn server process on the pytest database and its own broker
(a private redis-server on a free port, a private pulsar-lite broker), and kills them after.
The machine's Redis on 6379 is never touched.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message, Room
from tests.support.chat import PULSAR_LAYER, PULSAR_LITE_LOG_LEAK
from tests.support.faults import (
    REDIS_SERVER,
    Client,
    PrivatePulsar,
    PrivateRedis,
    assert_acks_stored,
    assert_union_is_db,
    server_env,
)
from tests.support.faults import assert_acks_stored as _assert_acks_stored  # noqa: F401
from tests.support.faults import assert_union_is_db as _assert_union_is_db  # noqa: F401
from tests.support.faults import db_rows as _db_rows  # noqa: F401
from tests.support.faults import server_env as _server_env  # noqa: F401
from tests.support.servers import Server

# _assert_acks_stored, _assert_union_is_db, _db_rows, _server_env: re-exported for
# test_chaos_short.py, which imported them from here; their home is now tests.support.faults.

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def start_server(transactional_db: None, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(layer_url: str, **extra: str) -> Server:
        server = Server(server_env(layer_url, **extra), tmp_path / f"server{len(started)}.log")
        started.append(server)
        server.wait_ready(time.monotonic() + 60)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not Path(REDIS_SERVER).exists() and shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    broker = PrivateRedis(tmp_path / "redis.log")
    try:
        broker.start()
        yield broker
    finally:
        broker.kill()


@pytest.fixture
def private_pulsar(tmp_path: Path) -> Iterator[PrivatePulsar]:
    broker = PrivatePulsar(tmp_path / "pulsar" / "broker.db")
    try:
        broker.start()
        yield broker
    finally:
        broker.stop()


def _room_and_clients(server: Server, alice: User, bob: User) -> tuple[Client, Client]:
    room: Room = services.room_create(creator=alice, handles=[bob.handle])
    a, b = Client(server, alice, str(room.uuid)), Client(server, bob, str(room.uuid))
    deadline = time.monotonic() + 15
    a.connect(deadline)
    b.connect(deadline)
    return a, b


def _unhandled_errors(server: Server) -> int:
    """Exceptions that escaped to uvicorn (each one closed a socket with 1011)."""
    server.log.flush()
    return server.log_path.read_text(errors="replace").count("Exception in ASGI application")


def _outage_scenario(
    server: Server, alice: User, bob: User, stop: Callable[[], None], start: Callable[[], None]
) -> dict[str, list[tuple[Client, str]]]:
    """Chat, break the broker, keep sending, mend it, reconnect and catch up; returns what
    each send during the outage answered."""
    a, b = _room_and_clients(server, alice, bob)
    try:
        # A normal chat: every send is acked and the other side gets it live.
        for i in range(3):
            assert a.send(f"a{i}", f"a{i}") == "ack"
            assert b.send(f"b{i}", f"b{i}") == "ack"
        a.wait_for_seq(6)
        b.wait_for_seq(6)

        stop()
        outage: dict[str, list[tuple[Client, str]]] = {}
        for i in range(4):
            for client, name in ((a, "a"), (b, "b")):
                client_id = f"{name}-out{i}"
                outage.setdefault(client.send(f"during {client_id}", client_id), []).append(
                    (client, client_id)
                )
        assert "timeout" not in outage, f"the server hung on a send: {outage['timeout']}"
        assert_acks_stored([a, b])
        for client in (a, b):
            client.drain()
        start()

        # Reconnect (new ticket), resend what was not acknowledged, then catch up.
        deadline = time.monotonic() + 20
        for client in (a, b):
            client.connect(deadline)
        for kind in ("error", "closed"):
            for client, client_id in outage.get(kind, []):
                assert client.send(f"during {client_id}", client_id) == "ack", client.outcomes
        assert_acks_stored([a, b])
        for client in (a, b):
            client.catch_up()

        # Resending an id acked during (or before) the outage stores nothing new.
        count = Message.objects.filter(room__uuid=a.room).count()
        acked = next(iter(outage.get("ack", [])), (a, "a0"))
        first = acked[0].outcomes[acked[1]]
        assert acked[0].send("again", acked[1]) == "ack"
        # The same message; only its unread count may have dropped since (a read receipt).
        again = acked[0].outcomes[acked[1]]
        assert {**again, "unread_count": None} == {**first, "unread_count": None}
        assert again["unread_count"] <= first["unread_count"]
        assert Message.objects.filter(room__uuid=a.room).count() == count

        # The doorbell rings again: a new message reaches the other side live.
        assert a.send("after", "a-after") == "ack"
        b.wait_for_seq(int(a.outcomes["a-after"]["seq"]), timeout=10)
        a.drain(0.5)
        b.drain(0.5)
        assert_acks_stored([a, b])
        assert_union_is_db([a, b])
        return outage
    finally:
        a.close()
        b.close()


@pytest.mark.redis
def test_redis_layer_killed_and_restarted_during_a_chat(
    start_server: Callable[..., Server], private_redis: PrivateRedis, alice: User, bob: User
) -> None:
    server = start_server(private_redis.url)
    outage = _outage_scenario(
        server, alice, bob, stop=private_redis.kill, start=private_redis.start
    )
    # channels_redis's receive loop fails with the connection, so sockets close (1011) rather
    # than answer; what matters is that nothing unstored was acknowledged (checked above).
    assert set(outage) <= {"ack", "closed", "error"}


@pytest.mark.pulsar
@PULSAR_LITE_LOG_LEAK
@pytest.mark.skipif(not PULSAR_LAYER, reason="channels_pulsar is not importable")
def test_pulsar_broker_stopped_and_restarted_during_a_chat(
    start_server: Callable[..., Server], private_pulsar: PrivatePulsar, alice: User, bob: User
) -> None:
    server = start_server(private_pulsar.url)
    outage = _outage_scenario(
        server, alice, bob, stop=private_pulsar.stop, start=private_pulsar.start
    )
    # The layer's receive side waits on local buffers, so the sockets stay open; the publish
    # that cannot reach the broker must neither hold up the next frame nor kill the socket.
    assert set(outage) == {"ack"}, outage
    assert _unhandled_errors(server) == 0


def _terminate_server_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_postgres_connections_terminated_during_a_chat(
    start_server: Callable[..., Server], alice: User, bob: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    # Persistent connections (as in production): the server holds connections between calls,
    # which is where a terminated backend hurts.
    server = start_server("memory://", DATABASE_CONN_MAX_AGE="60")
    a, b = _room_and_clients(server, alice, bob)
    try:
        for i in range(2):
            assert a.send(f"a{i}", f"a{i}") == "ack"
            assert b.send(f"b{i}", f"b{i}") == "ack"
        a.wait_for_seq(4)
        b.wait_for_seq(4)

        unacked: list[tuple[Client, str]] = []
        for round_ in range(3):
            assert _terminate_server_connections() >= 1, "the server held no connection"
            for client, name in ((a, "a"), (b, "b")):
                client_id = f"{name}-pg{round_}"
                outcome = client.send(f"after kill {round_}", client_id)
                assert outcome != "timeout", "the server hung after the database connection died"
                if outcome != "ack":
                    unacked.append((client, client_id))
                    if outcome == "error":
                        assert client.outcomes[client_id]["code"] == "unavailable"
                    else:
                        client.connect(time.monotonic() + 10)
            assert_acks_stored([a, b])
        # The same HTTP paths keep working after their connections died too.
        _terminate_server_connections()
        for client in (a, b):
            client.catch_up()
        for client, client_id in unacked:
            assert client.send(f"retry {client_id}", client_id) == "ack", client.outcomes
        count = Message.objects.filter(room__uuid=a.room).count()
        assert a.send("a0 again", "a0") == "ack"
        assert Message.objects.filter(room__uuid=a.room).count() == count
        a.drain(0.5)
        b.drain(0.5)
        for client in (a, b):
            client.catch_up()
        assert_acks_stored([a, b])
        assert_union_is_db([a, b])
        assert _unhandled_errors(server) == 0
    finally:
        a.close()
        b.close()
