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

import psycopg
import pytest
import redis
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


def test_chat_clients_lose_nothing_while_redis_and_database_connections_die(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    broker = PrivateRedis(tmp_path / "redis.log")
    broker.start()
    server = Server(server_env(broker.url, DATABASE_CONN_MAX_AGE="60"), tmp_path / "server.log")
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
        try:
            outcomes = run_senders(clients, MESSAGES, deadline)
        finally:
            chaos.stop.set()
            chaos.join(10)
        assert chaos.errors == []
        # The faults really happened, several times each, while messages were being sent.
        assert chaos.faults["redis"] >= 2 and chaos.faults["postgres"] >= 2, chaos.faults
        retried = sum(outcomes.values()) - CLIENTS * MESSAGES
        # 0 lost, 0 duplicates, 0 gaps; every client holds the database's messages after.
        assert_nothing_lost(clients, CLIENTS * MESSAGES, time.monotonic() + 60)
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
