"""Chat fault tests' tools: private brokers to kill, a chat client over a real socket, checks.

Used by tests/chats/test_faults.py, test_chaos_short.py and tests/ops/test_chaos_kill.py (the
last two share the careful client's send loop and the after-checks below): each test starts its
own uvicorn server on the pytest database and its own broker (a private redis-server on a free
port, a private pulsar-lite broker), and kills them after.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tangerine.accounts.models import User
from tangerine.chats.models import Message
from tests.support.api import bearer
from tests.support.servers import Server, free_port, server_database_url

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

    def _get(self, url: str, deadline: float | None) -> httpx.Response:
        delay = 0.2
        while True:
            try:
                response = httpx.get(url, headers={"Authorization": bearer(self.user)}, timeout=10)
            except httpx.TransportError:
                if deadline is None or time.monotonic() > deadline:
                    raise
            else:
                if response.status_code != 503 or deadline is None or time.monotonic() > deadline:
                    return response
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

    def held(self) -> int:
        """The highest seq up to which this client has every message (where catch-up starts).

        Not simply the highest seq seen: during an outage a client gets acks for its own
        messages while other people's never arrive, so its seqs have holes.
        """
        seq = 0
        while seq + 1 in self.seen:
            seq += 1
        return seq

    def catch_up(self, deadline: float | None = None) -> list[dict[str, Any]]:
        """GET ?after_seq=<held>, following ``next``; returns the pages' messages in order.

        With ``deadline``, a page that answers 503 (Retry-After: a lost or missing database
        connection), or no answer at all, is asked again until then."""
        # 100 a page, the most the API gives, as the web app asks (stores/chat/catch-up.ts).
        url: str | None = (
            f"{self.server.base}/api/chats/rooms/{self.room}/messages/"
            f"?after_seq={self.held()}&page_size=100"
        )
        got: list[dict[str, Any]] = []
        while url:
            response = self._get(url, deadline)
            assert response.status_code == 200, response.text
            body = response.json()
            got.extend(body["results"])
            url = body["next"]
        seqs = [int(m["seq"]) for m in got]
        assert seqs == sorted(set(seqs)), f"catch-up out of order or repeated: {seqs}"
        for message in got:
            self._keep(message)
        return got


def db_rows(room: str) -> list[tuple[int, str, str]]:
    return [
        (seq, str(message_uuid), client_id)
        for seq, message_uuid, client_id in Message.objects.filter(room__uuid=room)
        .order_by("seq")
        .values_list("seq", "uuid", "client_id")
    ]


def assert_acks_stored(clients: list[Client]) -> None:
    """Every ack names a stored message, with the uuid and seq it was stored with."""
    stored = {message_uuid: seq for seq, message_uuid, _ in db_rows(clients[0].room)}
    for client in clients:
        for client_id, outcome in client.outcomes.items():
            if isinstance(outcome, dict) and "uuid" in outcome:
                assert stored.get(outcome["uuid"]) == outcome["seq"], (
                    f"{client.user.handle} got an ack for {client_id} that is not in the database"
                )


def assert_union_is_db(clients: list[Client]) -> None:
    rows = db_rows(clients[0].room)
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1)), "gaps in seq"
    expected = {seq: message_uuid for seq, message_uuid, _ in rows}
    for client in clients:
        assert client.seen == expected, f"{client.user.handle} holds something else than the DB"
        assert client.duplicates == [], f"{client.user.handle} got live duplicates"


def server_env(layer_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "CHANNEL_LAYER_URL": layer_url,
        "CHANNEL_LAYER_PREFIX": f"flt{uuid.uuid4().hex[:8]}",
        **extra,
    }


# --- the exchange both chaos tests run, and what they check after ---------------------------


def reconnect(client: Client, deadline: float) -> None:
    """A new socket to the client's server, which may be dead, starting or out of database
    connections: its ticket request fails until it answers; the thread's own database connection
    (the ticket's access token is made with it) may have been terminated too."""
    from django.db import DatabaseError, connection
    from websockets.exceptions import WebSocketException

    delay = 0.2
    while True:
        try:
            client.connect(min(deadline, time.monotonic() + 10))
            return
        except DatabaseError:
            connection.close()
        except (httpx.HTTPError, AssertionError, WebSocketException):
            pass  # no server yet, not ready, or it died during the handshake
        assert time.monotonic() < deadline, f"{client.user.handle} could not reconnect"
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def send_until_acked(
    client: Client,
    count: int,
    deadline: float,
    report: dict[str, Any],
    before_last: threading.Event | None = None,
) -> None:
    """A careful client's thread: send ``count`` messages one after another, each until
    acknowledged. On a closed socket or no answer: reconnect and resend the same ``client_id``;
    on an ``unavailable`` or ``rate_limited`` refusal (nothing stored): resend after a pause.
    With ``before_last``, the last message waits for that event (a full cycle of faults).
    ``report`` gets ``outcomes`` (a Counter of send outcomes) and ``error`` if it failed."""
    from django.db import connection

    outcomes: Counter[str] = Counter()
    try:
        for i in range(count):
            if before_last is not None and i == count - 1:
                assert before_last.wait(max(0, deadline - time.monotonic())), "no chaos"
            client_id = f"{client.user.handle}-{i}"
            while True:
                assert time.monotonic() < deadline, f"{client_id} never acknowledged: {outcomes}"
                outcome = client.send(f"{client.user.handle} says {i}", client_id)
                outcomes[outcome] += 1
                if outcome == "ack":
                    break
                if outcome == "error":
                    code = client.outcomes[client_id].get("code")
                    assert code in ("unavailable", "rate_limited"), client.outcomes[client_id]
                    # Long enough for the socket's send budget to refill when rate-limited.
                    time.sleep(0.05 if code == "unavailable" else 0.4)
                else:  # closed, or no answer in time: a new socket, then the same client_id
                    reconnect(client, deadline)
    except BaseException as exc:
        report["error"] = repr(exc)
    finally:
        connection.close()  # this thread's own database connection (tickets)
    report["outcomes"] = outcomes


def run_senders(
    clients: list[Client],
    count: int,
    deadline: float,
    before_last: threading.Event | None = None,
) -> Counter[str]:
    """Every client sends ``count`` messages at once (a thread each); the summed outcomes.
    Fails if a client could not get every message acknowledged by ``deadline``."""
    reports: list[dict[str, Any]] = [{} for _ in clients]
    threads = [
        threading.Thread(
            target=send_until_acked, args=(client, count, deadline, report, before_last)
        )
        for client, report in zip(clients, reports, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic()) + 30)
    assert [r.get("error") for r in reports] == [None] * len(clients), reports
    outcomes: Counter[str] = Counter()
    for report in reports:
        outcomes.update(report["outcomes"])
    return outcomes


def assert_nothing_lost(clients: list[Client], expected: int, deadline: float) -> None:
    """After the exchange, against the database: ``expected`` rows, one per client message (0
    duplicates), seqs 1..n (0 gaps), every ack stored as acknowledged (0 acknowledged messages
    lost); then every client catches up over HTTP and holds exactly the database's messages,
    with no live frame twice. Catch-up retries until ``deadline`` (servers just restarted, or
    a database short of connections, answer 503 for a while)."""
    rows = db_rows(clients[0].room)
    assert len(rows) == expected, f"{len(rows)} messages stored, {expected} sent"
    assert len({client_id for _, _, client_id in rows}) == len(rows), "duplicates"
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1)), "gaps in seq"
    assert_acks_stored(clients)
    for client in clients:  # a socket the last fault closed: catch-up is over HTTP
        client.drain(0.3)
        client.catch_up(deadline)
    assert_union_is_db(clients)
