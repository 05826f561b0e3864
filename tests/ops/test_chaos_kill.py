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
the whole exchange, default 240), ``CHAOS_PAUSE`` (seconds between two faults, default 1),
``CHAOS_POOL_SIZE`` (database connections each API process pools, default 5),
``CHAOS_READY_WITHIN`` (seconds a started API process may take to answer, default 90).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message
from tests.support.faults import (
    Client,
    PrivateRedis,
    assert_nothing_lost,
    run_senders,
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
# Seconds an API process may take to answer after its (re)start (more on a crowded machine).
READY_WITHIN = float(os.environ.get("CHAOS_READY_WITHIN", "90"))
POOL_SIZE = int(os.environ.get("CHAOS_POOL_SIZE", "5"))  # database connections per process


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


def test_chat_clients_lose_nothing_while_api_processes_redis_and_db_connections_die(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    broker = PrivateRedis(tmp_path / "redis.log")
    broker.start()
    # One channel prefix for both. A bounded pool per process (as in production): without one
    # each request thread kept its own connection, and the long run's final catch-up met "too
    # many clients" on a PostgreSQL shared with other test runs.
    env = server_env(broker.url, DATABASE_CONN_MAX_AGE="0", DATABASE_POOL_MAX_SIZE=str(POOL_SIZE))
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
        try:  # every client holds its last message until a full cycle of faults is over
            outcomes = run_senders(clients, MESSAGES, deadline, before_last=chaos.cycle_done)
        finally:
            chaos.stop.set()
            chaos.join(READY_WITHIN + 10)
        exchange = time.monotonic() - started
        assert chaos.errors == []
        assert chaos.faults["api_kill9"] >= 1, chaos.faults
        assert chaos.faults["redis_restart"] >= 1, chaos.faults
        assert chaos.faults["pg_terminated"] >= 1, chaos.faults
        # 0 lost, 0 duplicates, 0 gaps; every client holds the database's messages after
        # catching up (a restarted process may answer 503 for a while: retried).
        assert_nothing_lost(clients, CLIENTS * MESSAGES, time.monotonic() + READY_WITHIN)
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
