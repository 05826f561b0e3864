"""The Pulsar side of the layer: one client, cached producers, subscriptions.

Every method without ``async`` blocks on the broker and must run off the event loop (in an
executor thread) or on pulsar-client's listener thread. They are serialised by one re-entrant
lock so that a subscribe and an unsubscribe of the same topic can never interleave.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pulsar

logger = logging.getLogger(__name__)

Listener = Callable[[Any, Any], None]


class PulsarLayerError(RuntimeError):
    """The broker refused or failed an operation (the message was not published)."""

    def __init__(self, result: object, topic: str) -> None:
        super().__init__(f"Pulsar operation on {topic} failed: {result}")
        self.result = result
        self.topic = topic


def _complete(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any) -> None:
    """Resolve ``future`` from a pulsar-client thread; a dead loop just loses the result."""

    def _set() -> None:
        if not future.done():
            future.set_result(result)

    # The loop may have closed meanwhile (async_to_sync loops are short-lived).
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_set)


class Transport:
    """Owns the ``pulsar.Client`` of one layer instance and everything created from it."""

    def __init__(
        self,
        service_url: str,
        *,
        listener: Listener,
        client_options: dict[str, Any],
        producer_options: dict[str, Any],
        receiver_queue_size: int,
        producer_cache_size: int,
    ) -> None:
        self._service_url = service_url
        self._listener = listener
        self._client_options = client_options
        self._producer_options = producer_options
        self._receiver_queue_size = receiver_queue_size
        self._producer_cache_size = producer_cache_size
        self._lock = threading.RLock()
        self._client: pulsar.Client | None = None
        self._producers: OrderedDict[str, Any] = OrderedDict()
        self._consumers: dict[str, Any] = {}

    @property
    def started(self) -> bool:
        return self._client is not None

    def start(self) -> None:
        """Create the client (idempotent). Connections are opened lazily by the client."""
        with self._lock:
            if self._client is None:
                self._client = pulsar.Client(self._service_url, **self._client_options)

    def _require_client(self) -> pulsar.Client:
        if self._client is None:
            raise RuntimeError("transport is closed")
        return self._client

    # Producers -------------------------------------------------------------------------
    def cached_producer(self, topic: str) -> Any | None:
        """The producer for ``topic`` if one exists; never blocks."""
        return self._producers.get(topic)

    def producer(self, topic: str) -> Any:
        """Get or create the producer for ``topic``; least recently created ones are closed
        past ``producer_cache_size`` so a process that talks to many groups stays bounded."""
        with self._lock:
            producer = self._producers.get(topic)
            if producer is not None:
                return producer
            producer = self._require_client().create_producer(topic, **self._producer_options)
            self._producers[topic] = producer
            while len(self._producers) > self._producer_cache_size:
                _, old = self._producers.popitem(last=False)
                with contextlib.suppress(Exception):
                    old.close()
            return producer

    async def publish(self, topic: str, data: bytes) -> None:
        """Publish one message and wait for the broker to persist it.

        Raises :class:`PulsarLayerError` with ``result`` set to the ``pulsar.Result``.
        """
        producer: Any = self.cached_producer(topic)
        loop = asyncio.get_running_loop()
        if producer is None:
            producer = await loop.run_in_executor(None, self.producer, topic)
        future: asyncio.Future[Any] = loop.create_future()
        producer.send_async(data, lambda res, _msg_id: _complete(loop, future, res))
        result = await future
        if result != pulsar.Result.Ok:
            raise PulsarLayerError(result, topic)

    def publish_nowait(self, topic: str, data: bytes) -> None:
        """Fire-and-forget publish from a non-loop thread (forwarding, control replies)."""

        def _done(res: Any, _msg_id: Any) -> None:
            if res != pulsar.Result.Ok:
                logger.warning("channels_pulsar: publish to %s failed: %s", topic, res)

        self.producer(topic).send_async(data, _done)

    # Subscriptions ---------------------------------------------------------------------
    def is_subscribed(self, topic: str) -> bool:
        return topic in self._consumers

    def subscribe(
        self, topic: str, subscription: str, *, shared: bool = False, earliest: bool = False
    ) -> Any:
        """Attach the layer's listener to ``topic`` (idempotent); returns the consumer.

        Exclusive subscriptions are used for a process's own topics (inbox and groups);
        ``shared`` is for normal channels, where several worker processes split the work;
        ``earliest`` makes a new subscription start at the oldest retained message.
        """
        with self._lock:
            consumer = self._consumers.get(topic)
            if consumer is None:
                consumer = self._subscribe(topic, subscription, shared, earliest)
                self._consumers[topic] = consumer
            return consumer

    def _subscribe(self, topic: str, subscription: str, shared: bool, earliest: bool) -> Any:
        position = pulsar.InitialPosition.Earliest if earliest else pulsar.InitialPosition.Latest
        try:
            return self._require_client().subscribe(
                topic,
                subscription,
                consumer_type=(
                    pulsar.ConsumerType.Shared if shared else pulsar.ConsumerType.Exclusive
                ),
                message_listener=self._listener,
                receiver_queue_size=self._receiver_queue_size,
                initial_position=position,
                negative_ack_redelivery_delay_ms=1000,
            )
        except Exception as exc:  # pulsar raises its own hierarchy; callers get one type
            # pulsar-lite 0.2 times out here for a second consumer on one subscription.
            raise PulsarLayerError(exc, topic) from exc

    def unsubscribe(self, topic: str, *, keep_subscription: bool = False) -> None:
        """Detach from ``topic``. Unless ``keep_subscription``, the durable subscription is
        deleted so the broker stops keeping a backlog for us (best effort: a shared
        subscription with other live consumers can only be closed)."""
        with self._lock:
            consumer = self._consumers.pop(topic, None)
            if consumer is None:
                return
            try:
                if keep_subscription:
                    consumer.close()
                else:
                    consumer.unsubscribe()
            except Exception:  # the broker may already have dropped it; nothing to undo
                with contextlib.suppress(Exception):
                    consumer.close()

    def close(self) -> None:
        """Close producers, consumers and the client; joins pulsar-client's threads."""
        with self._lock:
            client, self._client = self._client, None
            self._producers.clear()
            self._consumers.clear()
            if client is not None:
                try:
                    client.close()
                except Exception:  # already closed or broker gone: the threads still stop
                    logger.debug("channels_pulsar: client close failed", exc_info=True)
