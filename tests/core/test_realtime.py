"""A publish never holds the request that made it for longer than its bound."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from channels.layers import channel_layers

from tangerine.core import realtime


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a hung broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def hung_layer(settings: Any, black_hole: int) -> Iterator[None]:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{black_hole}/0"]},
        }
    }
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def test_publish_to_a_hung_broker_returns_within_its_bound(
    hung_layer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(realtime, "PUBLISH_TIMEOUT_SECONDS", 0.5)
    started = time.monotonic()
    realtime.publish(group="user.someone", event=realtime.SESSION_REVOKED)
    assert time.monotonic() - started < 3.0
