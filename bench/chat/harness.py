"""What the chat and socket benchmarks share: a migrated PostgreSQL database, users in rooms of
10, one-time socket tickets, a pulsar-lite broker and one uvicorn process serving the product
(plus the floor consumer, ``bench/chat/asgi.py``) pinned to core 0."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api.run import free_port, pin, server_env  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
ROOM_SIZE = 10


def database_url(db: str) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{db}"


def ports(db_url: str) -> dict[str, int]:
    return {
        "postgresql": urlsplit(db_url).port or 5432,
        "redis": urlsplit(REDIS_URL).port or 6379,
    }


def chat_env(db_url: str, layer_url: str, var_dir: str) -> dict[str, str]:
    """The API bench's production-like settings, on our own Redis database, with the per-socket
    send limit raised (one client here sends for many people; the limit is a policy, not a
    cost) and the product's default PostgreSQL pool."""
    env = server_env(db_url, var_dir)
    env.update(
        DJANGO_SETTINGS_MODULE="tangerine.config.settings",
        CACHE_URL=REDIS_URL,
        CHANNEL_LAYER_URL=layer_url,
        CHANNEL_LAYER_PREFIX=f"bench{os.getpid()}",
        CHAT_RATE_BURST="100000",
        CHAT_RATE_PER_SECOND="100000",
        CHAT_WS_TICKET_SECONDS="600",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # The product's defaults, whatever the calling environment says (the test suite turns
        # the pool off for itself); BENCH_POOL_MAX_SIZE to measure another pool size.
        DATABASE_POOL_MAX_SIZE=os.environ.get("BENCH_POOL_MAX_SIZE", "10"),
        CHANNEL_LAYER_MAX_CONNECTIONS="50",
        CACHE_MAX_CONNECTIONS="50",
    )
    env.pop("DATABASE_CONN_MAX_AGE", None)
    return env


def prepare_database(db_url: str, env: dict[str, str]) -> None:
    """Create the database if missing and migrate it (a no-op when up to date)."""
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def make_rooms(*, rooms: int, tag: str) -> list[dict[str, Any]]:
    """``rooms`` rooms of 10 new users; one client description per member:
    ``{"user": pk, "room": uuid}``."""
    from tangerine.accounts.models import User
    from tangerine.chats.models import Membership, Room

    users = User.objects.bulk_create(
        User(handle=f"{tag}_{i}", email=f"{tag}_{i}@bench.invalid", display_name=f"Bench {i}")
        for i in range(rooms * ROOM_SIZE)
    )
    room_rows = Room.objects.bulk_create(Room(name=f"{tag} room {r}") for r in range(rooms))
    Membership.objects.bulk_create(
        Membership(room=room_rows[i // ROOM_SIZE], user=user) for i, user in enumerate(users)
    )
    return [
        {"user": user, "room": str(room_rows[i // ROOM_SIZE].uuid)} for i, user in enumerate(users)
    ]


def tickets(users: list[Any]) -> list[str]:
    from tangerine.chats.tickets import ws_ticket_issue

    return [ws_ticket_issue(user=user)[0] for user in users]


@contextmanager
def pulsar_broker() -> Iterator[str]:
    from pulsar_lite import start_broker

    broker = start_broker(str(Path(tempfile.mkdtemp(prefix="bench-pulsar-")) / "broker.db"))
    try:
        yield str(broker.url)
    finally:
        broker.stop()


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    """uvicorn with ``bench.chat.asgi`` on core 0; yields (port, pid)."""
    port = free_port()
    cmd = [
        *pin(0),
        sys.executable,
        # BENCH_PROFILE=<file>: the server's event-loop thread under cProfile (stats on exit).
        *(["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
          if os.environ.get("BENCH_PROFILE") else []),
        "-m", "uvicorn", "bench.chat.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--ws", "websockets",
        "--ws-per-message-deflate", "false", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start: {log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load_command() -> list[str]:
    return [*pin(1), sys.executable, str(ROOT / "bench" / "chat" / "load.py")]
