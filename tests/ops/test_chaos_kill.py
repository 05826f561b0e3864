"""Chaos with ``kill -9``: chat clients on two API processes lose nothing while the processes,
the Redis channel layer and the database connections die.

Two uvicorn processes (A and B) share the pytest database (PostgreSQL) and a private
``redis-server`` as channel layer. ``CHAOS_CLIENTS`` users in one room, half on A and half on
B, each send ``CHAOS_MESSAGES`` messages, one after another, each until acknowledged (a careful
client: on a closed socket or no answer it reconnects to its server with a new ticket and
resends the same ``client_id``; on an ``unavailable`` refusal it resends). Meanwhile a chaos
thread repeats a cycle until the clients are done:

1. ``kill -9`` one API process (A, then B, alternately) and start it again on the same port;
2. ``pg_terminate_backend`` every database connection of the servers;
3. ``kill -9`` the Redis server and start it again (empty: no persistence);
4. ``pg_terminate_backend`` again.

Every client holds its last message until the first full cycle is over, so each fault strikes
while messages are in flight. After, against the database: 0 acknowledged messages lost (every
ack names a stored row with its seq), 0 duplicates (one row per client message), 0 sequence
gaps; every client, after catching up over ``?after_seq=``, holds exactly the database's
messages, with no live frame twice.

A short version runs in ``make test``; the long one is scripts/chaos-long.sh
(``CHAOS_CLIENTS=20 CHAOS_MESSAGES=500``; RELIABILITY.md has the figures). Knobs:
``CHAOS_CLIENTS`` (default 6), ``CHAOS_MESSAGES`` (default 30), ``CHAOS_DEADLINE`` (seconds for
the whole exchange, default 240), ``CHAOS_PAUSE`` (seconds between two faults, default 1).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from django.db import DatabaseError, connection
from websockets.exceptions import WebSocketException

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message
from tests.support.faults import (
    Client,
    PrivateRedis,
    assert_acks_stored,
    assert_union_is_db,
    db_rows,
    server_env,
)
from tests.support.servers import Server, server_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CLIENTS = int(os.environ.get("CHAOS_CLIENTS", "6"))
MESSAGES = int(os.environ.get("CHAOS_MESSAGES", "30"))
DEADLINE = float(os.environ.get("CHAOS_DEADLINE", "240"))
PAUSE = float(os.environ.get("CHAOS_PAUSE", "1"))
READY_WITHIN = 90.0  # seconds a restarted API process may take to answer


class Chaos(threading.Thread):
    """Repeat the cycle of faults (module docstring) until stopped; count what it did."""

    def __init__(
        self,
        servers: list[Server],
        env: dict[str, str],
        broker: PrivateRedis,
        spare_pids: set[int],
        logs: Path,
    ) -> None:
        super().__init__(name="chaos", daemon=True)
        self.servers = servers  # replaced in place by each restart
        self.env = env
        self.broker = broker
        self.spare_pids = spare_pids
        self.logs = logs
        self.stop = threading.Event()
        self.cycle_done = threading.Event()
        self.faults: Counter[str] = Counter()
        self.restart_seconds: list[float] = []
        self.errors: list[str] = []

    def _pause(self) -> bool:
        return not self.stop.wait(PAUSE)

    def _kill_api(self, index: int) -> None:
        old = self.servers[index]
        old.process.kill()  # kill -9
        old.process.wait(timeout=10)
        old.log.close()
        self.faults["api_kill9"] += 1
        started = time.monotonic()
        new = Server(
            self.env, self.logs / f"api{index}-{self.faults['api_kill9']}.log", port=old.port
        )
        self.servers[index] = new
        new.wait_ready(started + READY_WITHIN)
        self.restart_seconds.append(time.monotonic() - started)

    def _terminate_backends(self, pg: psycopg.Connection[Any]) -> None:
        row = pg.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND NOT (pid = ANY(%s))",
            [sorted(self.spare_pids)],
        ).fetchone()
        self.faults["pg_terminated"] += int(row[0]) if row else 0

    def _restart_redis(self) -> None:
        self.broker.kill()
        self.broker.start()
        self.faults["redis_restart"] += 1

    def run(self) -> None:
        with psycopg.connect(server_database_url(), autocommit=True) as pg:
            self.spare_pids.add(pg.info.backend_pid)
            turn = 0
            while not self.stop.is_set():
                try:
                    self._kill_api(turn % 2)
                    if not self._pause():
                        break
                    self._terminate_backends(pg)
                    if not self._pause():
                        break
                    self._restart_redis()
                    if not self._pause():
                        break
                    self._terminate_backends(pg)
                    self.cycle_done.set()
                    turn += 1
                    if not self._pause():
                        break
                except Exception as exc:  # record, then go on: the test fails on it after
                    self.errors.append(repr(exc))
                    if self.stop.wait(1):
                        break


def _sender(client: Client, chaos: Chaos, deadline: float, report: dict[str, Any]) -> None:
    outcomes: Counter[str] = Counter()
    try:
        for i in range(MESSAGES):
            if i == MESSAGES - 1:  # hold the last one until every fault happened once
                assert chaos.cycle_done.wait(max(0, deadline - time.monotonic())), "no chaos"
            client_id = f"{client.user.handle}-{i}"
            while True:
                assert time.monotonic() < deadline, f"{client_id} never acknowledged: {outcomes}"
                outcome = client.send(f"{client.user.handle} says {i}", client_id)
                outcomes[outcome] += 1
                if outcome == "ack":
                    break
                if outcome == "error":
                    # Not stored (the server could not, or the resends spent the socket's
                    # send budget): send the same client_id again, after a pause.
                    code = client.outcomes[client_id].get("code")
                    assert code in ("unavailable", "rate_limited"), client.outcomes[client_id]
                    time.sleep(0.05 if code == "unavailable" else 0.4)
                else:  # closed, or no answer in time: a new socket, then the same client_id
                    _reconnect(client, deadline)
    except BaseException as exc:
        report["error"] = repr(exc)
    finally:
        connection.close()  # this thread's own database connection (tickets)
    report["outcomes"] = outcomes


def _reconnect(client: Client, deadline: float) -> None:
    """A new socket to the client's server, which may be dead or starting: its ticket request
    fails until it answers; the thread's own database connection may have been terminated."""
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


def test_chat_clients_lose_nothing_while_api_processes_redis_and_db_connections_die(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    broker = PrivateRedis(tmp_path / "redis.log")
    broker.start()
    env = server_env(broker.url, DATABASE_CONN_MAX_AGE="60")  # one channel prefix for both
    servers: list[Server] = []
    chaos: Chaos | None = None
    clients: list[Client] = []
    started = time.monotonic()
    try:
        servers = [Server(env, tmp_path / "api0.log"), Server(env, tmp_path / "api1.log")]
        for server in servers:
            server.wait_ready(time.monotonic() + READY_WITHIN)
        users = [make_user(handle=f"kill{i}") for i in range(CLIENTS)]
        room = services.room_create(creator=users[0], handles=[u.handle for u in users[1:]])
        # Half on A, half on B (each Client keeps its Server: a restart keeps the port).
        clients = [Client(servers[i % 2], user, str(room.uuid)) for i, user in enumerate(users)]
        deadline = time.monotonic() + DEADLINE
        for client in clients:
            client.connect(deadline)

        with connection.cursor() as cursor:  # this test's own connection is spared
            cursor.execute("SELECT pg_backend_pid()")
            own = {int(cursor.fetchone()[0])}
        chaos = Chaos(servers, env, broker, own, tmp_path)
        chaos.start()
        reports: list[dict[str, Any]] = [{} for _ in clients]
        senders = [
            threading.Thread(target=_sender, args=(client, chaos, deadline, report))
            for client, report in zip(clients, reports, strict=True)
        ]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join(DEADLINE + 30)
        chaos.stop.set()
        chaos.join(READY_WITHIN + 10)
        exchange = time.monotonic() - started

        assert [r.get("error") for r in reports] == [None] * CLIENTS, reports
        assert chaos.errors == []
        assert chaos.faults["api_kill9"] >= 1, chaos.faults
        assert chaos.faults["redis_restart"] >= 1, chaos.faults
        assert chaos.faults["pg_terminated"] >= 1, chaos.faults
        outcomes: Counter[str] = Counter()
        for report in reports:
            outcomes.update(report["outcomes"])

        rows = db_rows(str(room.uuid))
        assert len(rows) == CLIENTS * MESSAGES  # each message stored once: 0 duplicates
        assert len({client_id for _, _, client_id in rows}) == len(rows)
        # 0 gaps (checked in assert_union_is_db too) and 0 acknowledged messages lost:
        assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1))
        assert_acks_stored(clients)
        for client in clients:  # a socket the last fault closed: catch-up is over HTTP
            client.drain(0.3)
            client.catch_up()
        assert_union_is_db(clients)
        assert Message.objects.filter(room=room).count() == CLIENTS * MESSAGES
        print(  # shown with -s: the figures RELIABILITY.md quotes
            f"chaos kill -9: {CLIENTS}x{MESSAGES} messages in {exchange:.0f} s; faults "
            f"{dict(chaos.faults)}; API restarts took "
            f"{', '.join(f'{s:.1f}' for s in chaos.restart_seconds)} s; send outcomes "
            f"{dict(outcomes)} ({sum(outcomes.values()) - CLIENTS * MESSAGES} resends)"
        )
    finally:
        if chaos is not None:
            chaos.stop.set()
            chaos.join(READY_WITHIN + 10)
        for client in clients:
            client.close()
        for server in chaos.servers if chaos is not None else servers:
            server.stop()
        broker.kill()
