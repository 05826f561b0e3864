"""A stopping API process tells its WebSocket clients "going away" (1001) so they reconnect to
another process at once (core/sockets.py), instead of uvicorn's 1012."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Origin

from tangerine.accounts.models import User
from tests.support.api import bearer
from tests.support.servers import Server, server_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_sigterm_closes_open_sockets_with_1001(alice: User, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": server_database_url(), "METRICS_ENABLED": "true"}
    server = Server(env, tmp_path / "api.log")
    try:
        server.wait_ready(time.monotonic() + 90)
        ticket = httpx.post(
            f"{server.base}/api/chats/ws-ticket/",
            headers={"Authorization": bearer(alice)},
            timeout=10,
        ).json()["ticket"]
        with connect(
            f"ws://127.0.0.1:{server.port}/ws/chat/?ticket={ticket}",
            origin=Origin(server.base),
            open_timeout=10,
        ) as ws:
            metrics = httpx.get(f"{server.base}/metrics", timeout=10).text
            assert 'tangerine_websockets_open{route="/ws/chat/"} 1.0' in metrics
            server.process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws.recv(timeout=10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1001
        assert "going away" in closed.value.rcvd.reason.lower()
        # uvicorn finishes its graceful shutdown, then re-raises the signal it caught.
        assert server.process.wait(timeout=30) in {0, -signal.SIGTERM}
    finally:
        server.stop()
