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

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from django.db import connection
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message, Room
from tests.support.api import bearer
from tests.support.chat import PULSAR_LAYER, PULSAR_LITE_LOG_LEAK
from tests.support.servers import Server, free_port, server_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_SERVER = "/usr/bin/redis-server"
ANSWER_TIMEOUT = 8.0  # seconds a send may wait for its ack or error before we call it a hang


# --- brokers --------------------------------------------------------------------------------


class PrivateRedis:
    """A throwaway redis-server on its own port (no persistence): kill -9 it, start it again."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.RedisError:  # not up yet
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """kill -9: no shutdown, every connection reset."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class PrivatePulsar:
    """A pulsar-lite broker of this test alone, stopped and started again on one db path."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.handle: Any = None
        self.url = ""

    def start(self) -> None:
        from pulsar_lite import start_broker
        from pulsar_lite.process_manager import process_manager

        if not self.url:
            self.handle = start_broker(str(self.db_path))
            self.url = self.handle.url
            return
        # pulsar-lite looks for a free port from 6650 with a probe that fails while our old
        # port still has connections in TIME_WAIT; the server must find the broker where it was.
        port = int(self.url.rsplit(":", 1)[1])
        process_manager._find_free_port = lambda start_port=6650: port
        try:
            self.handle = start_broker(str(self.db_path))
        finally:
            del process_manager._find_free_port
        assert self.handle.url == self.url

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()
            self.handle = None


# --- a chat client over a real socket -------------------------------------------------------


@dataclass
class Client:
    """One user's view of one room, as a careful client keeps it."""

    server: Server
    user: User
    room: str
    ws: ClientConnection | None = None
    seen: dict[int, str] = field(default_factory=dict)  # seq -> message uuid, live or caught up
    live: set[str] = field(default_factory=set)  # uuids of the live "message" frames
    duplicates: list[int] = field(default_factory=list)  # "message" frames received twice
    # The ack (or refusal) of each send; "closed" and "timeout" when neither came.
    outcomes: dict[str, Any] = field(default_factory=dict)

    def ticket(self) -> str:
        response = httpx.post(
            f"{self.server.base}/api/chats/ws-ticket/",
            headers={"Authorization": bearer(self.user)},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["ticket"])

    def connect(self, deadline: float) -> None:
        """Open a socket with a new ticket, retrying (with backoff) until the server accepts."""
        self.close()
        delay = 0.1
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                self.ws = connect(
                    f"ws://127.0.0.1:{self.server.port}/ws/chat/?ticket={self.ticket()}",
                    origin=Origin(f"http://127.0.0.1:{self.server.port}"),
                    open_timeout=5,
                    legacy=True,  # closed in close(), not in a with block
                )
                return
            except (InvalidStatus, OSError, TimeoutError) as exc:
                last = exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError(f"could not reconnect: {last!r}")

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    def _keep(self, message: dict[str, Any]) -> None:
        seq, message_uuid = int(message["seq"]), str(message["uuid"])
        if self.seen.get(seq) == message_uuid:
            return
        assert seq not in self.seen, f"two messages with seq {seq}: {message_uuid}"
        self.seen[seq] = message_uuid

    def _frame(self, timeout: float) -> dict[str, Any]:
        assert self.ws is not None
        frame: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        if frame["type"] == "message" and frame["room"] == self.room:
            # The sender's socket gets its own message too (after the ack): not a duplicate.
            if frame["message"]["uuid"] in self.live:
                self.duplicates.append(int(frame["message"]["seq"]))
            self.live.add(frame["message"]["uuid"])
            self._keep(frame["message"])
        return frame

    def send(self, text: str, client_id: str) -> str:
        """Send a message and wait for its answer: "ack", "error", "closed" or "timeout"."""
        if self.ws is None:
            self.outcomes[client_id] = "closed"
            return "closed"
        deadline = time.monotonic() + ANSWER_TIMEOUT
        try:
            self.ws.send(
                json.dumps(
                    {
                        "type": "message.send",
                        "room": self.room,
                        "text": text,
                        "client_id": client_id,
                    }
                )
            )
            while True:
                frame = self._frame(max(0.01, deadline - time.monotonic()))
                if frame.get("client_id") != client_id:
                    continue
                if frame["type"] == "message.ack":
                    self._keep(frame["message"])
                    self.outcomes[client_id] = frame["message"]
                    return "ack"
                assert frame["type"] == "error", frame
                self.outcomes[client_id] = frame
                return "error"
        except ConnectionClosed:
            self.ws = None
            self.outcomes[client_id] = "closed"
            return "closed"
        except TimeoutError:
            self.outcomes[client_id] = "timeout"
            return "timeout"

    def drain(self, seconds: float = 0.3) -> None:
        """Read whatever live frames are already on the way."""
        end = time.monotonic() + seconds
        try:
            while self.ws is not None and time.monotonic() < end:
                self._frame(max(0.01, end - time.monotonic()))
        except TimeoutError:
            pass
        except ConnectionClosed:
            self.ws = None

    def wait_for_seq(self, seq: int, timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        while seq not in self.seen:
            assert self.ws is not None
            self._frame(max(0.01, end - time.monotonic()))

    def held(self) -> int:
        """The highest seq up to which this client has every message (where catch-up starts).

        Not simply the highest seq seen: during an outage a client gets acks for its own
        messages while other people's never arrive, so its seqs have holes.
        """
        seq = 0
        while seq + 1 in self.seen:
            seq += 1
        return seq

    def catch_up(self) -> list[dict[str, Any]]:
        """GET ?after_seq=<held>, following ``next``; returns the pages' messages in order."""
        url: str | None = (
            f"{self.server.base}/api/chats/rooms/{self.room}/messages/?after_seq={self.held()}"
        )
        got: list[dict[str, Any]] = []
        while url:
            response = httpx.get(url, headers={"Authorization": bearer(self.user)}, timeout=10)
            assert response.status_code == 200, response.text
            body = response.json()
            got.extend(body["results"])
            url = body["next"]
        seqs = [int(m["seq"]) for m in got]
        assert seqs == sorted(set(seqs)), f"catch-up out of order or repeated: {seqs}"
        for message in got:
            self._keep(message)
        return got


def _db_rows(room: str) -> list[tuple[int, str, str]]:
    return [
        (seq, str(message_uuid), client_id)
        for seq, message_uuid, client_id in Message.objects.filter(room__uuid=room)
        .order_by("seq")
        .values_list("seq", "uuid", "client_id")
    ]


def _assert_acks_stored(clients: list[Client]) -> None:
    """Every ack names a stored message, with the uuid and seq it was stored with."""
    stored = {message_uuid: seq for seq, message_uuid, _ in _db_rows(clients[0].room)}
    for client in clients:
        for client_id, outcome in client.outcomes.items():
            if isinstance(outcome, dict) and "uuid" in outcome:
                assert stored.get(outcome["uuid"]) == outcome["seq"], (
                    f"{client.user.handle} got an ack for {client_id} that is not in the database"
                )


def _assert_union_is_db(clients: list[Client]) -> None:
    rows = _db_rows(clients[0].room)
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1)), "gaps in seq"
    expected = {seq: message_uuid for seq, message_uuid, _ in rows}
    for client in clients:
        assert client.seen == expected, f"{client.user.handle} holds something else than the DB"
        assert client.duplicates == [], f"{client.user.handle} got live duplicates"


# --- fixtures -------------------------------------------------------------------------------


def _server_env(layer_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "CHANNEL_LAYER_URL": layer_url,
        "CHANNEL_LAYER_PREFIX": f"flt{uuid.uuid4().hex[:8]}",
        **extra,
    }


@pytest.fixture
def start_server(transactional_db: None, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(layer_url: str, **extra: str) -> Server:
        server = Server(_server_env(layer_url, **extra), tmp_path / f"server{len(started)}.log")
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
        _assert_acks_stored([a, b])
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
        _assert_acks_stored([a, b])
        for client in (a, b):
            client.catch_up()

        # Resending an id acked during (or before) the outage stores nothing new.
        count = Message.objects.filter(room__uuid=a.room).count()
        acked = next(iter(outage.get("ack", [])), (a, "a0"))
        first = acked[0].outcomes[acked[1]]
        assert acked[0].send("again", acked[1]) == "ack"
        assert acked[0].outcomes[acked[1]] == first
        assert Message.objects.filter(room__uuid=a.room).count() == count

        # The doorbell rings again: a new message reaches the other side live.
        assert a.send("after", "a-after") == "ack"
        b.wait_for_seq(int(a.outcomes["a-after"]["seq"]), timeout=10)
        a.drain(0.5)
        b.drain(0.5)
        _assert_acks_stored([a, b])
        _assert_union_is_db([a, b])
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
            _assert_acks_stored([a, b])
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
        _assert_acks_stored([a, b])
        _assert_union_is_db([a, b])
        assert _unhandled_errors(server) == 0
    finally:
        a.close()
        b.close()
