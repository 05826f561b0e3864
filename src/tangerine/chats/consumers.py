"""The chat WebSocket: one socket per user carries every room of that user.

The consumer is as thin as a view: it parses frames, calls services and selectors through
``database_sync_to_async`` and relays channel-layer events. Protocol: docs/chat.md.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404

from tangerine.accounts.models import User
from tangerine.accounts.selectors import user_uuids_blocked_by
from tangerine.chats import events, selectors, services, tickets
from tangerine.chats.models import CLIENT_ID_MAX_LENGTH, MESSAGE_TEXT_MAX_LENGTH
from tangerine.chats.serializers import message_payload, message_payload_for_blocker
from tangerine.core.context import request_id_as
from tangerine.core.realtime import (
    NotificationEvent,
    SessionRevokedEvent,
    group_send_bounded,
    user_group,
)
from tangerine.core.writers import WriterThreads

logger = logging.getLogger(__name__)

# Close codes (4000-4999 are the application's).
CLOSE_SESSION_REVOKED = 4001  # logout, password change, account deletion or deactivation
CLOSE_NO_ROOMS = 4004  # the user was removed from (or left) their last room
CLOSE_INVALID_TICKET = 4401  # missing, unknown, expired or already used ticket

# A user's typing frames reach a room at most once per this many seconds (across their sockets);
# clients show "typing…" for TYPING_EXPIRES_SECONDS after the last one.
TYPING_THROTTLE_SECONDS = 2.5
TYPING_EXPIRES_SECONDS = 6
# Client frames waiting on one socket before its reads are held back.
FRAME_QUEUE_SIZE = 64

T = TypeVar("T")


# Message writes of all the sockets of a process run on these threads, several at once, each
# on a connection of the process's PostgreSQL pool (DATABASE_POOL_MAX_SIZE, 10 by default; the
# HTTP threads share it). On the one thread channels gives every consumer by default, one
# process stored ~50-80 messages/s (issue #17); in parallel, commits share the disk's flushes.
# Four leaves pool connections for HTTP. Per socket, frames are still handled one at a time, so
# one sender's messages keep their order; across senders the room's row lock orders them.
_WRITERS = WriterThreads(4, name="chat-writer")


def _db(func: Callable[..., T], *, concurrent: bool = False) -> Callable[..., Any]:
    """``database_sync_to_async(func)``, run once more on a new connection after a
    connection error; with ``concurrent`` (PostgreSQL) on the ``_WRITERS`` threads instead of
    the one thread channels shares between every consumer of the process.

    With persistent connections (``CONN_MAX_AGE``) a connection the database dropped
    (restart, failover, terminated backend) would otherwise fail the next frame of every
    socket. Only calls made outside a
    transaction are repeated, and every function called here is safe to repeat:
    ``message_send`` is idempotent per ``client_id``, and a repeated ticket check refuses the
    already used ticket (4401), after which the client fetches a new one.
    """

    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return func(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block:
                raise
            logger.warning("Database connection lost; retrying on a new one", exc_info=True)
            connection.close()
            return func(*args, **kwargs)

    # SQLite takes one writer at a time anyway (core/sqlite), and its shared-cache test database
    # refuses a second thread's statements ("database table is locked") instead of waiting.
    if concurrent and connection.vendor == "postgresql":

        async def on_a_writer(*args: Any, **kwargs: Any) -> T:
            # Not database_sync_to_async: it would give the connection back to the pool and
            # check a new one out (a round trip) around every call. A writer thread keeps its
            # connection while writes are waiting and gives it back when idle (core/writers).
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(_WRITERS, functools.partial(call, *args, **kwargs))

        return on_a_writer
    return database_sync_to_async(call)


def _message_send_and_render(**kwargs: Any) -> tuple[services.SendResult, dict[str, Any]]:
    """Store the message and render its payload on one thread hop and one pooled connection."""
    result = services.message_send(**kwargs)
    return result, message_payload(result.message, read_marks=result.read_marks)


class RecentlyDelivered:
    """The last ``size`` message uuids a socket was sent, to send each message once.

    The Redis layer delivers at least once: a message it handed over stays in a backup queue
    until a clean-up call removes it, and when that call fails (a dropped Redis connection) the
    next receive hands the same message over again (channels_redis ``receive_single``).
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.uuids: dict[str, None] = {}  # insertion-ordered: the oldest first

    def first_time(self, uuid: str) -> bool:
        if uuid in self.uuids:
            return False
        self.uuids[uuid] = None
        if len(self.uuids) > self.size:
            del self.uuids[next(iter(self.uuids))]
        return True


class TokenBucket:
    """``burst`` frames at once, refilled at ``rate`` per second (one per connection)."""

    def __init__(self, *, burst: int, rate: float) -> None:
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.rate = rate
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FrameError(Exception):
    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


def _unavailable(client_id: str | None) -> FrameError:
    extra = {} if client_id is None else {"client_id": client_id}
    return FrameError("unavailable", "Try again in a moment (same client_id).", **extra)


def _room_field(frame: dict[str, Any]) -> str:
    try:
        return str(selectors.parse_uuid(frame.get("room")))
    except Http404 as exc:
        raise FrameError("not_found", "No such room.") from exc


class ChatConsumer(AsyncWebsocketConsumer):
    user: User | None = None
    frame_busy = False  # a client frame is being handled (_handle_frames)
    held_events: list[Any]

    async def connect(self) -> None:
        self.closing = False
        self.user = None
        self.held_events = []
        self.delivered = RecentlyDelivered()
        self.blocked: set[str] = set()
        self.rooms: set[str] = set()
        self.send_bucket = TokenBucket(
            burst=settings.CHAT_RATE_BURST, rate=settings.CHAT_RATE_PER_SECOND
        )
        # Other frames (room.read) are cheap but still capped, more generously.
        self.frame_bucket = TokenBucket(
            burst=settings.CHAT_RATE_BURST * 3, rate=settings.CHAT_RATE_PER_SECOND * 3
        )
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        ticket = (query.get("ticket") or [None])[0]
        user = await _db(tickets.ws_ticket_consume)(ticket=ticket)
        if user is None:
            # Accept, then close with a reason a browser can read (a refused handshake has none).
            await self.accept()
            await self._send_json(
                {
                    "type": "error",
                    "code": "invalid_ticket",
                    "detail": "The ticket is missing, expired or already used.",
                }
            )
            await self.close(code=CLOSE_INVALID_TICKET)
            return
        self.user = user
        self.user_group = user_group(user.uuid)
        # Whose messages this socket shows as placeholders (group rooms keep blocked pairs).
        self.blocked = await _db(user_uuids_blocked_by)(user=user)
        # Join the user's group first: a membership change made while the room list loads
        # still reaches this socket as an event.
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        room_uuids = await _db(selectors.room_uuids_for_user)(user_id=user.pk)
        for room_uuid in room_uuids:
            await self._join(room_uuid)
        # Client frames are handled in order on a task of their own, so that deliveries to this
        # socket never wait behind its own message's database write: a consumer busy in a
        # handler reads no events, and the Redis layer drops what overflows its buffer.
        self.frames: asyncio.Queue[str | bytes | None] = asyncio.Queue(maxsize=FRAME_QUEUE_SIZE)
        self.frame_worker = asyncio.create_task(self._handle_frames())
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closing = True
        if self.user is None:
            return
        # The frame in hand finishes (a stored message is still rung); queued ones are dropped.
        worker = getattr(self, "frame_worker", None)
        if worker is not None:
            while not self.frames.empty():
                self.frames.get_nowait()
            self.frames.put_nowait(None)
            await worker
        groups = [events.room_group(room_uuid) for room_uuid in self.rooms]
        self.rooms.clear()
        try:
            for group in [*groups, self.user_group]:
                await self.channel_layer.group_discard(group, self.channel_name)
        except Exception:  # broker down: memberships of a dead channel expire by themselves
            logger.warning("Could not leave the channel-layer groups of a closed socket")

    async def _join(self, room_uuid: str) -> None:
        self.rooms.add(room_uuid)
        await self.channel_layer.group_add(events.room_group(room_uuid), self.channel_name)

    async def _leave(self, room_uuid: str) -> None:
        self.rooms.discard(room_uuid)
        await self.channel_layer.group_discard(events.room_group(room_uuid), self.channel_name)

    async def _send_json(self, content: dict[str, Any]) -> None:
        if self.closing:
            return  # a live frame that arrives after our close has no socket to go to
        await self.send(text_data=json.dumps(content, ensure_ascii=False))

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self.closing = True
        await super().close(code=code, reason=reason)

    async def _error(self, code: str, detail: str, **extra: Any) -> None:
        await self._send_json({"type": "error", "code": code, "detail": detail, **extra})

    # --- frames from the client ---

    async def dispatch(self, message: Any) -> None:
        """Handle each frame and each event under a request id (core/context.py): the id of the
        request or frame that caused an event, or a new one per frame from the client, so the
        log lines of one message's journey (send, store, fan-out, delivery) share it."""
        if self.frame_busy and not message["type"].startswith("websocket."):
            # Events that arrive while a client frame is handled follow its answer, as they did
            # when the handler held the whole consumer; read off the layer now, not dropped.
            self.held_events.append(message)
            return
        await self._dispatch_now(message)

    async def _dispatch_now(self, message: Any) -> None:
        # channels' AsyncConsumer.dispatch would first run close_old_connections on the one
        # thread channels shares between every consumer of the process, for every event and
        # frame: 10 thread hops per message in a room of 10, queued behind that thread's
        # database calls (py-spy on bench/chat: over half the event loop's busy time). Every
        # database call of this consumer goes through ``_db`` (database_sync_to_async), which
        # closes old connections before and after itself, so the handler is called directly.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        if message["type"] == "websocket.receive":
            # Only queued here: the frame worker handles it under an id of its own.
            await handler(message)
            return
        with request_id_as(message.get("request_id")):
            await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.user is None or self.closing:
            return
        # A full queue holds this socket's reads back (backpressure on a flooding client).
        await self.frames.put(text_data if text_data is not None else bytes_data or b"")

    async def _handle_frames(self) -> None:
        while True:
            text_data = await self.frames.get()
            if text_data is None or self.closing:
                return
            self.frame_busy = True
            try:
                # A new request id per frame, as ``dispatch`` gives every other message.
                with request_id_as(None):
                    await self._handle_frame(text_data)
            except OSError:  # the client left mid-frame (uvicorn's ClientDisconnected)
                logger.debug("Chat client left while a frame was handled", exc_info=True)
            except Exception:  # one broken frame never ends the socket's frame handling
                logger.exception("Could not handle a chat frame")
            finally:
                # Still busy while the held events go out, so newer ones queue behind them.
                while self.held_events:
                    try:
                        await self._dispatch_now(self.held_events.pop(0))
                    except OSError:
                        logger.debug("Chat client left before an event", exc_info=True)
                    except Exception:
                        logger.exception("Could not deliver a chat event")
                self.frame_busy = False

    async def _handle_frame(self, text_data: str | bytes) -> None:
        user = self.user
        if user is None:
            return
        if not isinstance(text_data, str):
            await self._error("unsupported", "Frames are JSON text, not binary.")
            return
        if len(text_data.encode()) > settings.CHAT_MAX_FRAME_BYTES:
            await self._error("frame_too_large", "The frame is too large.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._error("malformed", "The frame is not valid JSON.")
            return
        if not isinstance(frame, dict):
            await self._error("malformed", "A frame is a JSON object with a type.")
            return
        kind = frame.get("type")
        try:
            if kind == "message.send":
                await self._on_message_send(user, frame)
            elif kind == "room.read":
                await self._on_room_read(user, frame)
            elif kind == "typing":
                await self._on_typing(user, frame)
            else:
                raise FrameError("unknown_type", "Unknown frame type.")
        except FrameError as error:
            await self._error(error.code, error.detail, **error.extra)

    async def _on_message_send(self, user: User, frame: dict[str, Any]) -> None:
        client_id = frame.get("client_id")
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX_LENGTH:
            raise FrameError(
                "invalid", f"client_id is a string of 1 to {CLIENT_ID_MAX_LENGTH} characters."
            )
        if not self.send_bucket.take():
            raise FrameError("rate_limited", "Too many messages; slow down.", client_id=client_id)
        room_uuid = _room_field(frame)
        text = frame.get("text", "")
        image = frame.get("image")
        if image is not None and not isinstance(image, str):
            raise FrameError("invalid", "image is an image uuid.", client_id=client_id)
        if not isinstance(text, str) or (not text.strip() and image is None):
            raise FrameError("invalid", "A message needs some text.", client_id=client_id)
        if len(text) > MESSAGE_TEXT_MAX_LENGTH:
            raise FrameError(
                "text_too_long",
                f"A message has at most {MESSAGE_TEXT_MAX_LENGTH} characters.",
                client_id=client_id,
            )
        try:
            result, payload = await _db(_message_send_and_render, concurrent=True)(
                sender=user, room_uuid=room_uuid, text=text, client_id=client_id, image=image
            )
        except Http404 as exc:
            raise FrameError("not_found", "No such room.", client_id=client_id) from exc
        except ValidationError as exc:
            raise FrameError("invalid", " ".join(exc.messages), client_id=client_id) from exc
        except services.SenderBlockedError as exc:
            raise FrameError(
                "blocked", "You cannot send messages in this chat.", client_id=client_id
            ) from exc
        except DatabaseError as exc:  # not stored, or stored without a payload: a resend acks
            logger.warning("Could not store or load a chat message", exc_info=True)
            raise _unavailable(client_id) from exc
        # The database commit is done: acknowledge, then ring the room's bell once.
        await self._send_json({"type": "message.ack", "client_id": client_id, "message": payload})
        if result.created:
            await self._ring(
                events.room_group(room_uuid),
                events.message_event(
                    room_uuid=room_uuid, sender_uuid=str(user.uuid), message=payload
                ),
            )

    async def _ring(self, group: str, event: events.MessageEvent) -> None:
        """Publish ``event`` after a commit; a broken or slow layer is logged, not raised.

        The message is stored and acknowledged already: failing the socket here would only make
        the client resend what the database holds.
        """
        await group_send_bounded(group, event)

    async def _on_room_read(self, user: User, frame: dict[str, Any]) -> None:
        if not self.frame_bucket.take():
            raise FrameError("rate_limited", "Too many frames; slow down.")
        room_uuid = _room_field(frame)
        seq = frame.get("seq")
        if seq is not None and (not isinstance(seq, int) or isinstance(seq, bool) or seq < 0):
            raise FrameError("invalid", "seq is a non-negative integer.")
        try:
            await _db(services.membership_mark_read)(user=user, room_uuid=room_uuid, seq=seq)
        except Http404 as exc:
            raise FrameError("not_found", "No such room.") from exc
        except DatabaseError as exc:
            logger.warning("Could not mark a chat read", exc_info=True)
            raise _unavailable(None) from exc
        # The service tells every socket of this user (this one included) through their group.

    async def _on_typing(self, user: User, frame: dict[str, Any]) -> None:
        """``{"type": "typing", "room": uuid}``: tell the room's other members, at most once per
        ``TYPING_THROTTLE_SECONDS`` per user and room (more frames are dropped silently).
        Nothing is stored; membership is this socket's room list (no query)."""
        if not self.frame_bucket.take():
            raise FrameError("rate_limited", "Too many frames; slow down.")
        room_uuid = _room_field(frame)
        if room_uuid not in self.rooms:
            raise FrameError("not_found", "No such room.")
        key = f"chat:typing:{user.pk}:{room_uuid}"
        try:
            first = await cache.aadd(key, 1, timeout=TYPING_THROTTLE_SECONDS)
        except Exception:  # a cache outage costs a typing hint, never the socket
            logger.warning("Could not throttle a typing frame", exc_info=True)
            return
        if first:
            await group_send_bounded(
                events.room_group(room_uuid), events.typing_event(room_uuid=room_uuid, user=user)
            )

    # --- events from the channel layer ---

    def _as_seen(
        self,
        event: events.MessageEvent | events.MessageModeratedEvent | events.MessageDeletedEvent,
    ) -> dict[str, Any]:
        """The message as this socket's user sees it: a placeholder from someone they blocked."""
        if event.get("sender") in self.blocked:
            return message_payload_for_blocker(event["message"])
        return event["message"]

    async def chat_message(self, event: events.MessageEvent) -> None:
        # Room groups are left as soon as a removal is known; this check also drops a message
        # that was already in flight when the removal arrived. A message the layer hands over a
        # second time is not sent again.
        if event["room"] in self.rooms and self.delivered.first_time(event["message"]["uuid"]):
            await self._send_json(
                {"type": "message", "room": event["room"], "message": self._as_seen(event)}
            )

    async def chat_message_hidden(self, event: events.MessageModeratedEvent) -> None:
        if event["room"] in self.rooms:
            await self._send_json(
                {"type": "message.hidden", "room": event["room"], "message": self._as_seen(event)}
            )

    async def chat_message_unhidden(self, event: events.MessageModeratedEvent) -> None:
        if event["room"] in self.rooms:
            await self._send_json(
                {
                    "type": "message.unhidden",
                    "room": event["room"],
                    "message": self._as_seen(event),
                }
            )

    async def chat_message_deleted(self, event: events.MessageDeletedEvent) -> None:
        if event["room"] in self.rooms:
            await self._send_json(
                {"type": "message.deleted", "room": event["room"], "message": self._as_seen(event)}
            )

    async def chat_member_read(self, event: events.MemberReadEvent) -> None:
        # The reader's own sockets learn it from ``room.read`` (their user group).
        if self.user is None or event["user"] == str(self.user.uuid):
            return
        if event["room"] in self.rooms:
            await self._send_json(
                {
                    "type": "member.read",
                    "room": event["room"],
                    "handle": event["handle"],
                    "seq": event["seq"],
                }
            )

    async def chat_typing(self, event: events.TypingEvent) -> None:
        # Not to the typist's own sockets, and not to someone who blocked them.
        if self.user is None or event["user"] == str(self.user.uuid):
            return
        if event["room"] in self.rooms and event["user"] not in self.blocked:
            await self._send_json(
                {
                    "type": "typing",
                    "room": event["room"],
                    "handle": event["handle"],
                    "display_name": event["display_name"],
                    "expires_in": TYPING_EXPIRES_SECONDS,
                }
            )

    async def chat_blocks_changed(self, event: events.BlocksChangedEvent) -> None:
        if self.user is not None:
            self.blocked = await _db(user_uuids_blocked_by)(user=self.user)

    async def chat_room_joined(self, event: events.RoomJoinedEvent) -> None:
        room_uuid = event["room"]
        if room_uuid not in self.rooms:
            await self._join(room_uuid)
        await self._send_json({"type": "room.joined", "room": room_uuid})

    async def chat_room_left(self, event: events.RoomLeftEvent) -> None:
        await self._left(event["room"])

    async def _left(self, room_uuid: str) -> None:
        if room_uuid not in self.rooms:
            return  # already handled (the two events announcing a leave can come in any order)
        await self._leave(room_uuid)
        await self._send_json({"type": "room.left", "room": room_uuid})
        if not self.rooms:
            await self.close(code=CLOSE_NO_ROOMS)

    async def chat_room_members(self, event: events.RoomMembersEvent) -> None:
        room_uuid = event["room"]
        if self.user is not None and str(self.user.uuid) in event.get("left_users", []):
            await self._left(room_uuid)
            return
        if room_uuid in self.rooms:
            await self._send_json(
                {
                    "type": "room.members",
                    "room": room_uuid,
                    "joined": event.get("joined", []),
                    "left": event.get("left", []),
                }
            )

    async def chat_room_read(self, event: events.RoomReadEvent) -> None:
        await self._send_json({"type": "room.read", "room": event["room"], "seq": event["seq"]})

    async def notification(self, event: NotificationEvent) -> None:
        """Notifications for this user share the socket (DESIGN.md)."""
        await self._send_json({"type": "notification", "notification": event["notification"]})

    async def session_revoked(self, event: SessionRevokedEvent) -> None:
        await self._send_json({"type": "session.revoked"})
        await self.close(code=CLOSE_SESSION_REVOKED)
