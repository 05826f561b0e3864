"""Fixtures: a real pulsar-lite broker for the session and one factory per channel layer.

Nothing here depends on the working directory, so the suite runs from the package folder and
from the repository root alike.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from channels.layers import BaseChannelLayer

from channels_pulsar import PulsarChannelLayer

from _layers import REDIS_HOST, REDIS_PORT, build_layer, close_layer


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


REDIS_UP = _redis_reachable()
REDIS_SKIP = pytest.mark.skipif(
    not REDIS_UP,
    reason=f"!!! Redis is NOT reachable at {REDIS_HOST}:{REDIS_PORT}: Redis contract params "
    "were skipped, so the reference behaviour was not checked !!!",
)


@pytest.fixture(scope="session")
def pulsar_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a pulsar-lite broker living in a temp dir for the whole session."""
    from pulsar_lite import start_broker

    broker = start_broker(str(Path(tmp_path_factory.mktemp("pulsar")) / "broker.db"))
    try:
        yield broker.url
    finally:
        broker.stop()


@dataclass
class LayerKind:
    """One channel layer under contract test and what it legitimately does not offer."""

    name: str
    # feature -> reason it is missing; tests needing the feature skip with that reason
    missing: dict[str, str] = field(default_factory=dict)

    def require(self, feature: str) -> None:
        if feature in self.missing:
            pytest.skip(f"{self.name}: {self.missing[feature]}")


_PUBSUB_MISSING = {
    "capacity": "pub/sub layer has no capacity (Redis PUBLISH cannot refuse)",
    "expiry": "pub/sub layer never expires messages",
    "group_expiry": "pub/sub layer has no group expiry",
    "buffer_before_receive": "pub/sub drops messages for channels nobody subscribed to yet",
    "cancel_safe": "pub/sub unsubscribes a channel when its receive() is cancelled",
    "name_validation": "pub/sub layer does not validate channel or group names",
    "remote_group_add": "pub/sub layer only adds channels of its own process to groups",
}

LAYER_KINDS = {
    "memory": LayerKind(
        "memory",
        {
            "multi_process": "the in-memory layer lives in one process by design",
            "shared_backend": "two in-memory layer instances share nothing by design",
            "channel_capacity_patterns": "channels 4.3 InMemoryChannelLayer never compiles "
            "channel_capacity (get_capacity unpacks the raw dict and raises ValueError)",
        },
    ),
    "redis": LayerKind(
        "redis",
        {
            "capacity_per_specific_channel": "channels_redis keeps all specific channels of a "
            "process in one Redis key, so capacity counts per process, not per channel",
        },
    ),
    "redis_pubsub": LayerKind("redis_pubsub", _PUBSUB_MISSING),
    "pulsar": LayerKind(
        "pulsar",
        {
            "sender_capacity_normal": "a normal channel's backlog is in the broker, invisible "
            "to the sender; Pulsar bounds it with a backlog quota instead",
        },
    ),
}

LayerFactory = Callable[..., BaseChannelLayer]


@pytest.fixture(
    params=[
        "memory",
        pytest.param("redis", marks=REDIS_SKIP),
        pytest.param("redis_pubsub", marks=REDIS_SKIP),
        "pulsar",
    ]
)
def layer_kind(request: pytest.FixtureRequest) -> LayerKind:
    return LAYER_KINDS[request.param]


@pytest.fixture
def layer_spec(layer_kind: LayerKind, pulsar_url: str) -> dict[str, str]:
    """What a child process needs to build a layer talking to the same backend."""
    return {"kind": layer_kind.name, "pulsar_url": pulsar_url, "prefix": _prefix()}


def _prefix() -> str:
    return "t" + uuid.uuid4().hex[:10]


@pytest_asyncio.fixture
async def make_layer(
    layer_kind: LayerKind, pulsar_url: str, layer_spec: dict[str, str]
) -> AsyncIterator[LayerFactory]:
    """Factory of layers sharing one backend namespace (a fresh prefix per test); every layer
    is flushed and closed afterwards, so tests never see each other's data."""
    made: list[BaseChannelLayer] = []

    def factory(**config: Any) -> BaseChannelLayer:
        layer = build_layer(layer_kind.name, pulsar_url, layer_spec["prefix"], dict(config))
        made.append(layer)
        return layer

    yield factory
    for layer in made:
        await layer.flush()
        await close_layer(layer)


@pytest_asyncio.fixture
async def pulsar_layers(pulsar_url: str) -> AsyncIterator[Callable[..., PulsarChannelLayer]]:
    """Factory of Pulsar layers on one fresh prefix, closed after the test."""
    prefix = _prefix()
    made: list[PulsarChannelLayer] = []

    def factory(**config: Any) -> PulsarChannelLayer:
        layer = PulsarChannelLayer(pulsar_url, prefix=prefix, **config)
        made.append(layer)
        return layer

    yield factory
    for layer in made:
        await layer.close()
