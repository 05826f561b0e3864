"""Chaos, short version (in ``make test``): several chat clients send at once while the Redis
channel layer's connections are killed and the server's database backends are terminated.

Each client sends its messages one after another, each until acknowledged (a careful client:
on a closed socket it reconnects with a new ticket and resends the same ``client_id``; on an
``unavailable`` error it resends). Meanwhile a chaos thread alternates ``CLIENT KILL`` on the
server's Redis connections and ``pg_terminate_backend`` on its PostgreSQL connections. After,
against the database: 0 acknowledged messages lost (every ack names a stored row with its seq),
0 duplicates (one row per client message), 0 sequence gaps; and every client, after catching up
over ``?after_seq=``, holds exactly the database's messages, with no live frame twice.

A longer run is the same test with more clients and messages (``CHAOS_CLIENTS``,
``CHAOS_MESSAGES``, ``CHAOS_DEADLINE`` in the environment; RELIABILITY.md). Not covered here: a
``kill -9`` of one of two API processes and a Redis restart in the same run (test_faults.py
restarts Redis on its own).
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
import redis
from django.db import DatabaseError, connection

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message
from tests.support.faults import Client, PrivateRedis
from tests.support.faults import assert_acks_stored as _assert_acks_stored
from tests.support.faults import assert_union_is_db as _assert_union_is_db
from tests.support.faults import db_rows as _db_rows
from tests.support.faults import server_env as _server_env
from tests.support.servers import Server, server_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CLIENTS = int(os.environ.get("CHAOS_CLIENTS", "6"))
MESSAGES = int(os.environ.get("CHAOS_MESSAGES", "25"))
CHAOS_EVERY = 0.3  # seconds between two faults
DEADLINE = float(os.environ.get("CHAOS_DEADLINE", "150"))  # seconds for the whole exchange


class Chaos(threading.Thread):
    """Alternately kill the Redis clients and the server's database backends until stopped."""

    def __init__(self, redis_port: int, spare_pids: set[int]) -> None:
        super().__init__(name="chaos", daemon=True)
        self.redis_port = redis_port
        self.spare_pids = spare_pids
        self.stop = threading.Event()
        self.faults: Counter[str] = Counter()
        self.errors: list[str] = []

    def run(self) -> None:
        broker = redis.Redis(port=self.redis_port, socket_timeout=2)
        with psycopg.connect(server_database_url(), autocommit=True) as pg:
            self.spare_pids.add(pg.info.backend_pid)
            turn = 0
            while not self.stop.wait(CHAOS_EVERY):
                turn += 1
                try:
                    if turn % 2:
                        self.faults["redis"] += int(
                            broker.client_kill_filter(_type="normal", skipme=True) or 0
                        )
                    else:
                        row = pg.execute(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            " WHERE datname = current_database() AND NOT (pid = ANY(%s))",
                            [sorted(self.spare_pids)],
                        ).fetchone()
                        self.faults["postgres"] += int(row[0]) if row else 0
                except Exception as exc:  # a fault injector must not stop on its own fault
                    self.errors.append(repr(exc))


def _sender(client: Client, deadline: float, report: dict[str, Any]) -> None:
    outcomes: Counter[str] = Counter()
    try:
        for i in range(MESSAGES):
            client_id = f"{client.user.handle}-{i}"
            while True:
                assert time.monotonic() < deadline, f"{client_id} never acknowledged: {outcomes}"
                outcome = client.send(f"{client.user.handle} says {i}", client_id)
                outcomes[outcome] += 1
                if outcome == "ack":
                    break
                if outcome == "error":
                    # Either the server could not store it now, or the resends after such
                    # refusals spent the socket's send budget: nothing was stored, send again
                    # (after a pause long enough for the budget to refill when rate-limited).
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
    """A new socket; the ticket's access token is made with this thread's database connection,
    which the chaos may have terminated too: then reconnect to the database and try again."""
    while True:
        try:
            client.connect(deadline)
            return
        except DatabaseError:
            assert time.monotonic() < deadline, "no database for a ticket"
            connection.close()


def test_chat_clients_lose_nothing_while_redis_and_database_connections_die(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    broker = PrivateRedis(tmp_path / "redis.log")
    broker.start()
    server = Server(_server_env(broker.url, DATABASE_CONN_MAX_AGE="60"), tmp_path / "server.log")
    chaos: Chaos | None = None
    clients: list[Client] = []
    try:
        server.wait_ready(time.monotonic() + 60)
        users = [make_user(handle=f"chaos{i}") for i in range(CLIENTS)]
        room = services.room_create(creator=users[0], handles=[u.handle for u in users[1:]])
        clients = [Client(server, user, str(room.uuid)) for user in users]
        deadline = time.monotonic() + DEADLINE
        for client in clients:
            client.connect(deadline)

        with connection.cursor() as cursor:  # this test's own connection is spared
            cursor.execute("SELECT pg_backend_pid()")
            own = {int(cursor.fetchone()[0])}
        chaos = Chaos(broker.port, own)
        chaos.start()
        reports: list[dict[str, Any]] = [{} for _ in clients]
        senders = [
            threading.Thread(target=_sender, args=(client, deadline, report))
            for client, report in zip(clients, reports, strict=True)
        ]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join(DEADLINE + 30)
        chaos.stop.set()
        chaos.join(10)

        assert [r.get("error") for r in reports] == [None] * CLIENTS, reports
        assert chaos.errors == []
        # The faults really happened, several times each, while messages were being sent.
        assert chaos.faults["redis"] >= 2 and chaos.faults["postgres"] >= 2, chaos.faults
        retried = sum(sum(r["outcomes"].values()) - MESSAGES for r in reports)

        rows = _db_rows(str(room.uuid))
        assert len(rows) == CLIENTS * MESSAGES  # each message stored once: 0 duplicates
        assert len({client_id for _, _, client_id in rows}) == len(rows)
        # 0 gaps (checked in _assert_union_is_db too) and 0 acknowledged messages lost:
        assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1))
        _assert_acks_stored(clients)
        for client in clients:
            client.drain(0.3)
            client.catch_up()
        _assert_union_is_db(clients)
        assert Message.objects.filter(room=room).count() == CLIENTS * MESSAGES
        print(  # shown with -s: the figures RELIABILITY.md quotes
            f"chaos: {CLIENTS}x{MESSAGES} messages, faults {dict(chaos.faults)}, "
            f"{retried} sends retried"
        )
    finally:
        if chaos is not None:
            chaos.stop.set()
        for client in clients:
            client.close()
        server.stop()
        broker.kill()
