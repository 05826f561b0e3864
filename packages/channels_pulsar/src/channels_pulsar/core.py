"""A Django Channels layer on Apache Pulsar.

Topology (all topics persistent, names under ``persistent://<tenant>/<namespace>/<prefix>-``):

* ``inbox-<process>``: one topic per layer instance ("process"). Channels made by
  :meth:`PulsarChannelLayer.new_channel` are ``<prefix>.<process>!<local>`` and are delivered
  through their process's inbox, exactly like channels_redis's process-specific channels.
* ``group-<group>``: one topic per group. A process subscribes (exclusive subscription named
  after the process) while it has at least one local member, so ``group_send`` is one publish
  and the broker copies it once to each interested process, which hands it to its members.
* ``chan-<name>``: one topic per normal channel (``"thumbnails"``, worker channels), consumed
  through one *shared* subscription so each message goes to exactly one receiving process.

All consumers of a layer instance share pulsar-client's single listener thread, which decodes,
deduplicates and drops each message into in-memory per-channel buffers, then wakes waiting
``receive()`` calls through ``loop.call_soon_threadsafe``. There is no thread or task per
receive, per group or per channel, and any number of event loops may use one instance (as
``async_to_sync`` does).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import itertools
import logging
import threading
import time
import uuid
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import pulsar
from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

from channels_pulsar._dedup import RecentIds
from channels_pulsar._envelope import Envelope, Kind, copy_message, decode, encode
from channels_pulsar._transport import PulsarLayerError, Transport

logger = logging.getLogger(__name__)

T = TypeVar("T")

_LOG_LEVELS = {
    "debug": pulsar.LoggerLevel.Debug,
    "info": pulsar.LoggerLevel.Info,
    "warn": pulsar.LoggerLevel.Warn,
    "error": pulsar.LoggerLevel.Error,
}

# Layers with an open client, closed at interpreter exit: pulsar-client's C++ threads must
# not outlive the interpreter, or exit can hang or crash.
_open_layers: weakref.WeakSet[PulsarChannelLayer] = weakref.WeakSet()


@atexit.register
def _close_open_layers() -> None:
    for layer in list(_open_layers):
        layer._transport.close()


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class PulsarChannelLayer(BaseChannelLayer):  # type: ignore[misc]  # channels is untyped
    """Channel layer backed by Apache Pulsar (or any Pulsar-protocol broker).

    The keyword arguments are the ``CONFIG`` of the ``CHANNEL_LAYERS`` entry:

    ``service_url``: ``pulsar://host:6650`` or ``pulsar+ssl://host:6651``.
    ``tenant`` / ``namespace`` / ``prefix``: where topics live; layers with different prefixes
    on one namespace never see each other's messages.
    ``expiry``: seconds a message may wait before it is dropped (default 60).
    ``group_expiry``: seconds a group membership lasts unless renewed (default 86400).
    ``capacity`` / ``channel_capacity``: per-channel buffer limits (glob or regex patterns).
    ``authentication``: a ``pulsar.Authentication`` (``pulsar.AuthenticationToken(...)`` etc.).
    ``client_options``: extra keyword arguments for ``pulsar.Client`` (TLS, timeouts).
    ``receiver_queue_size``: prefetch per consumer (default 100; bounds duplicate distance).
    ``dedup_window``: how many recent message ids are remembered (default 10000).
    ``max_pending_messages``: unacknowledged sends per producer before ChannelFull.
    ``producer_cache_size``: producers kept open (LRU, default 1024).
    ``remote_timeout``: seconds to wait for another process to confirm a ``group_add`` of one
    of its channels (default 5).
    ``log_level``: pulsar-client's console log level: debug, info, warn (default), error.
    """

    extensions: ClassVar[list[str]] = ["groups", "flush"]

    def __init__(
        self,
        service_url: str = "pulsar://localhost:6650",
        *,
        prefix: str = "asgi",
        tenant: str = "public",
        namespace: str = "default",
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: dict[Any, int] | None = None,
        authentication: pulsar.Authentication | None = None,
        client_options: dict[str, Any] | None = None,
        receiver_queue_size: int = 100,
        dedup_window: int = 10_000,
        max_pending_messages: int = 10_000,
        producer_cache_size: int = 1024,
        remote_timeout: float = 5.0,
        log_level: str = "warn",
    ) -> None:
        super().__init__(expiry=expiry, capacity=capacity)
        self.channel_capacity = self.compile_capacities(channel_capacity or {})
        self.group_expiry = group_expiry
        self.prefix = prefix
        self.remote_timeout = remote_timeout
        self._topic_base = f"persistent://{tenant}/{namespace}/{prefix}-"
        self._worker_subscription = f"{prefix}-workers"
        # Random, not the pid: several layers may live in one OS process (tests, alias pairs).
        self.process_id = uuid.uuid4().hex[:16]
        self._inbox = self._topic_base + "inbox-" + self.process_id
        self._ids = itertools.count()

        options: dict[str, Any] = {"logger": pulsar.ConsoleLogger(_LOG_LEVELS[log_level])}
        if authentication is not None:
            options["authentication"] = authentication
        options.update(client_options or {})
        self._transport = Transport(
            service_url,
            listener=self._on_message,
            client_options=options,
            producer_options={
                # Batching is off: pulsar-lite redelivers batched messages many times and
                # loses some on non-persistent topics; single sends are fast enough.
                "batching_enabled": False,
                "block_if_queue_full": False,
                "max_pending_messages": max_pending_messages,
            },
            receiver_queue_size=receiver_queue_size,
            producer_cache_size=producer_cache_size,
        )

        # Everything below is shared with the listener thread and guarded by _lock. The lock is
        # never held across an await or a broker call.
        self._lock = threading.Lock()
        self._buffers: dict[str, deque[tuple[float, dict[str, Any]]]] = {}
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._groups: dict[str, dict[str, float]] = {}  # group -> channel -> monotonic join
        self._paused: dict[str, Any] = {}  # normal channel -> its paused consumer
        self._pending: dict[str, asyncio.Future[Any]] = {}  # control request id -> reply
        self._seen = RecentIds(dedup_window)
        self._flushed_at = 0.0
        # Subscribe/unsubscribe decisions are serialised separately so the listener thread is
        # never blocked behind a slow broker call made for another group.
        self._sub_lock = threading.RLock()

    # Naming ------------------------------------------------------------------------------
    def _group_topic(self, group: str) -> str:
        return self._topic_base + "group-" + group

    def _channel_topic(self, channel: str) -> str:
        return self._topic_base + "chan-" + channel

    @staticmethod
    def _owner(channel: str) -> str | None:
        """Process id of a process-specific channel (``<prefix>.<process>!<local>``)."""
        if "!" not in channel:
            return None
        return channel[: channel.index("!")].rsplit(".", 1)[-1]

    def _next_id(self) -> str:
        return f"{self.process_id}:{next(self._ids)}"

    def _envelope(self, kind: Kind, target: str, body: dict[str, Any]) -> Envelope:
        now = time.time()
        return Envelope(kind, self._next_id(), target, now, now + self.expiry, body)

    # Lifecycle ---------------------------------------------------------------------------
    async def _blocking(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, func, *args)

    async def _ensure_started(self) -> None:
        if not self._transport.started:
            await self._blocking(self._start)

    def _start(self) -> None:
        with self._sub_lock:
            if self._transport.started:
                return
            self._transport.start()
            _open_layers.add(self)
            self._transport.subscribe(self._inbox, self.process_id)
            # After a close(), groups that still have members need their subscriptions back.
            for group in list(self._groups):
                self._reconcile_group(group)

    async def close(self) -> None:
        """Close the Pulsar client and its threads. Buffers and memberships stay; the next
        call on this layer reconnects and resubscribes."""
        await self._blocking(self._close)

    def _close(self) -> None:
        with self._sub_lock:
            self._transport.close()
            _open_layers.discard(self)
            with self._lock:
                self._paused.clear()

    async def flush(self) -> None:
        """Forget every buffered message and group membership of this instance, delete its
        group and worker subscriptions, and ignore anything sent before this moment.

        Unlike channels_redis (one shared keyspace) this cannot reach other processes' memory;
        it is meant for tests, like everywhere else.
        """
        with self._lock:
            self._flushed_at = time.time()
            self._buffers.clear()
            self._groups.clear()
            self._paused.clear()
        if self._transport.started:
            await self._blocking(self._unsubscribe_all_but_inbox)

    def _unsubscribe_all_but_inbox(self) -> None:
        with self._sub_lock:
            for topic in list(self._transport._consumers):
                if topic != self._inbox:
                    self._transport.unsubscribe(topic)

    # Channels ----------------------------------------------------------------------------
    async def new_channel(self, prefix: str = "specific") -> str:
        """A fresh process-specific channel; receivable only through this layer instance.
        The inbox subscription exists before the name is returned, so nothing sent to it can
        be lost for want of a subscriber."""
        await self._ensure_started()
        return f"{prefix}.{self.process_id}!{uuid.uuid4().hex}"

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        """Send ``message`` to ``channel``.

        Raises ``ChannelFull`` when the channel's buffer is in this process and full, or when
        the producer has ``max_pending_messages`` unconfirmed sends. A full buffer in another
        process drops the message there with a log line (as channels_redis's group_send
        does); for normal channels the broker holds the backlog, bounded by its backlog quota.
        """
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        owner = self._owner(channel)
        if owner == self.process_id:
            # Our own specific channel: no broker round trip, and capacity is exact.
            expires_at = time.time() + self.expiry
            with self._lock:
                if not self._deliver_locked(channel, expires_at, copy_message(message)):
                    raise ChannelFull(channel)
            return
        await self._ensure_started()
        if owner is not None:
            topic = self._topic_base + "inbox-" + owner
        else:
            # No subscription is created here: a worker reads its channel from the earliest
            # retained message, so messages sent before it started wait in the topic (set the
            # namespace retention to at least ``expiry``). Touching the workers' subscription
            # from the sender would also make pulsar-lite refuse the real worker.
            topic = self._channel_topic(channel)
        await self._publish(topic, self._envelope(Kind.CHANNEL, channel, message), channel)

    async def _publish(self, topic: str, envelope: Envelope, channel: str) -> None:
        try:
            await self._transport.publish(topic, encode(envelope))
        except PulsarLayerError as exc:
            if exc.result == pulsar.Result.ProducerQueueIsFull:
                raise ChannelFull(channel) from exc
            raise

    async def receive(self, channel: str) -> dict[str, Any]:
        """Wait for the next message on ``channel`` (a specific channel of this instance or a
        normal channel). Several concurrent receivers of one channel each get different
        messages. Cancelling a receive never loses a message."""
        self.require_valid_channel_name(channel)
        owner = self._owner(channel)
        if owner is not None and owner != self.process_id:
            raise ValueError(f"{channel!r} belongs to another layer instance; receive it there")
        await self._ensure_started()
        if owner is None:
            await self._ensure_worker_consumer(channel)
        loop = asyncio.get_running_loop()
        while True:
            with self._lock:
                item = self._pop_locked(channel)
                if item is not None:
                    return item
                waiter: asyncio.Future[None] = loop.create_future()
                self._waiters.setdefault(channel, []).append(waiter)
            try:
                await waiter
            finally:
                with self._lock:
                    waiters = self._waiters.get(channel)
                    if waiters is not None and waiter in waiters:
                        waiters.remove(waiter)
                        if not waiters:
                            del self._waiters[channel]

    async def _ensure_worker_consumer(self, channel: str) -> None:
        topic = self._channel_topic(channel)
        if not self._transport.is_subscribed(topic):
            subscribe = functools.partial(self._transport.subscribe, shared=True, earliest=True)
            await self._blocking(subscribe, topic, self._worker_subscription)

    def _pop_locked(self, channel: str) -> dict[str, Any] | None:
        buffer = self._buffers.get(channel)
        now = time.time()
        while buffer:
            expires_at, message = buffer.popleft()
            if expires_at >= now:
                break
        else:
            self._buffers.pop(channel, None)
            self._maybe_resume_locked(channel, 0)
            return None
        if not buffer:
            self._buffers.pop(channel, None)
        self._maybe_resume_locked(channel, len(buffer))
        return message

    def _maybe_resume_locked(self, channel: str, size: int) -> None:
        consumer = self._paused.get(channel)
        if consumer is not None and size < self.get_capacity(channel):
            del self._paused[channel]
            with contextlib.suppress(Exception):  # consumer closed by flush/close meanwhile
                consumer.resume_message_listener()

    def _deliver_locked(self, channel: str, expires_at: float, message: dict[str, Any]) -> bool:
        """Buffer a message for a local receiver; ``False`` if the channel is full."""
        buffer = self._buffers.setdefault(channel, deque())
        if len(buffer) >= self.get_capacity(channel):
            return False
        buffer.append((expires_at, message))
        for waiter in self._waiters.pop(channel, ()):
            # Wake every waiter: each re-checks the buffer, so a cancelled one loses nothing.
            with contextlib.suppress(RuntimeError):  # its loop is closed: it waits no more
                waiter.get_loop().call_soon_threadsafe(_wake, waiter)
        return True

    # Groups ------------------------------------------------------------------------------
    async def group_add(self, group: str, channel: str) -> None:
        """Add ``channel`` to ``group`` until ``group_expiry`` passes or it is discarded.

        For a channel of this instance (or a normal channel) the membership lives here and
        this process subscribes to the group's topic before returning. A channel of another
        instance is added by that instance, which confirms within ``remote_timeout``.
        """
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        await self._ensure_started()
        owner = self._owner(channel)
        if owner is not None and owner != self.process_id:
            await self._remote_group_add(owner, group, channel)
            return
        with self._lock:
            self._groups.setdefault(group, {})[channel] = time.monotonic()
        if not self._transport.is_subscribed(self._group_topic(group)):
            await self._blocking(self._reconcile_group, group)

    async def group_discard(self, group: str, channel: str) -> None:
        """Remove ``channel`` from ``group``; a no-op if it is not a member. A channel whose
        membership lives in another process is removed there through the group's topic."""
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        owner = self._owner(channel)
        if owner is not None and owner != self.process_id:
            await self._ensure_started()
            envelope = self._envelope(Kind.CONTROL, "group_discard", {"g": group, "c": channel})
            await self._publish(self._group_topic(group), envelope, channel)
            return
        with self._lock:
            members = self._groups.get(group)
            if members is not None:
                members.pop(channel, None)
                if members:
                    return
                del self._groups[group]
        if self._transport.started:
            await self._blocking(self._reconcile_group, group)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """Send ``message`` to every member of ``group`` in every process: one publish; the
        broker fans out to each subscribed process. Members whose buffer is full are skipped
        with a log line, as in channels_redis."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        await self._ensure_started()
        await self._publish(
            self._group_topic(group), self._envelope(Kind.GROUP, group, message), group
        )

    def _reconcile_group(self, group: str) -> None:
        """Subscribe to or leave the group topic so that we are subscribed exactly while the
        group has live local members. Blocking; safe from any thread."""
        topic = self._group_topic(group)
        with self._sub_lock:
            with self._lock:
                wanted = bool(self._live_members_locked(group))
            if wanted:
                self._transport.subscribe(topic, self.process_id)
            else:
                self._transport.unsubscribe(topic)

    def _live_members_locked(self, group: str) -> list[str]:
        members = self._groups.get(group)
        if not members:
            self._groups.pop(group, None)
            return []
        deadline = time.monotonic() - self.group_expiry
        for channel in [c for c, joined in members.items() if joined < deadline]:
            del members[channel]
        if not members:
            del self._groups[group]
        return list(members)

    async def _remote_group_add(self, owner: str, group: str, channel: str) -> None:
        request = self._next_id()
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            self._pending[request] = reply
        body = {"g": group, "c": channel, "r": request, "to": self.process_id}
        try:
            await self._publish(
                self._topic_base + "inbox-" + owner,
                self._envelope(Kind.CONTROL, "group_add", body),
                channel,
            )
            await asyncio.wait_for(reply, self.remote_timeout)
        except TimeoutError:
            # The owner is gone or slow; channels_redis would store a dead member, which is
            # harmless too. Log and carry on rather than fail the caller.
            logger.warning("channels_pulsar: %s did not confirm group_add(%s)", owner, group)
        finally:
            with self._lock:
                self._pending.pop(request, None)

    # Listener thread ---------------------------------------------------------------------
    def _on_message(self, consumer: Any, message: Any) -> None:
        """Called by pulsar-client's listener thread for every consumer of this instance."""
        try:
            data = message.data()
            with contextlib.suppress(Exception):  # consumer may be closing; redelivery is
                consumer.acknowledge(message)  # then filtered out by the id window anyway
            envelope = decode(data)
            self._dispatch(consumer, envelope)
        except Exception:  # never let an exception escape into pulsar-client's thread
            logger.exception("channels_pulsar: dropping undeliverable message")

    def _dispatch(self, consumer: Any, envelope: Envelope) -> None:
        forwards: list[str] = []
        with self._lock:
            if not self._seen.add(envelope.id):
                return  # a redelivery
            if envelope.sent_at < self._flushed_at or envelope.expires_at < time.time():
                return
            if envelope.kind is Kind.CHANNEL:
                channel = envelope.target
                if not self._deliver_locked(channel, envelope.expires_at, envelope.body):
                    logger.info("channels_pulsar: %s is full, message dropped", channel)
                elif self._owner(channel) is None:
                    # Flow control for worker channels: stop taking from the shared
                    # subscription while our buffer is full, so other workers get the backlog.
                    buffer = self._buffers.get(channel)
                    if buffer and len(buffer) >= self.get_capacity(channel):
                        consumer.pause_message_listener()
                        self._paused[channel] = consumer
            elif envelope.kind is Kind.GROUP:
                for channel in self._live_members_locked(envelope.target):
                    if self._owner(channel) is None:
                        forwards.append(channel)
                    elif not self._deliver_locked(channel, envelope.expires_at, envelope.body):
                        logger.info("channels_pulsar: %s is full, group message dropped", channel)
            else:
                self._control_locked(envelope)
        if envelope.kind is Kind.CONTROL and envelope.target == "group_add":
            self._reconcile_group(envelope.body["g"])
            reply = self._envelope(Kind.CONTROL, "ack", {"r": envelope.body["r"]})
            self._transport.publish_nowait(
                self._topic_base + "inbox-" + envelope.body["to"], encode(reply)
            )
        for channel in forwards:
            # A normal channel in a group: this process registered it, so it forwards.
            forward = Envelope(
                Kind.CHANNEL,
                self._next_id(),
                channel,
                envelope.sent_at,
                envelope.expires_at,
                envelope.body,
            )
            self._transport.publish_nowait(self._channel_topic(channel), encode(forward))

    def _control_locked(self, envelope: Envelope) -> None:
        body = envelope.body
        if envelope.target == "group_add":
            self._groups.setdefault(body["g"], {})[body["c"]] = time.monotonic()
        elif envelope.target == "group_discard":
            members = self._groups.get(body["g"])
            if members is not None:
                members.pop(body["c"], None)
        elif envelope.target == "ack":
            future = self._pending.get(body["r"])
            if future is not None:
                with contextlib.suppress(RuntimeError):
                    future.get_loop().call_soon_threadsafe(_wake, future)

    def __str__(self) -> str:
        return f"{self.__class__.__name__}(prefix={self.prefix!r}, process={self.process_id})"
