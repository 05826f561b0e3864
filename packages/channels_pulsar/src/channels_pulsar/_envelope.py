"""Wire format of everything this layer publishes to Pulsar.

One msgpack array per Pulsar message: ``[kind, id, target, sent_at, expires_at, body]``.

* ``id`` is ``"<process id>:<counter>"``; receivers drop ids they have already seen, because
  brokers (pulsar-lite in particular) may redeliver a message.
* ``sent_at`` / ``expires_at`` are wall-clock seconds (``time.time()``): they are compared in
  other processes, so a monotonic clock would be meaningless there.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import msgpack


class Kind(enum.IntEnum):
    """What a message carries; ``target`` is read differently for each kind."""

    CHANNEL = 0  # target: channel name, body: the Channels message
    GROUP = 1  # target: group name, body: the Channels message
    CONTROL = 2  # target: operation name, body: its arguments


@dataclass(frozen=True, slots=True)
class Envelope:
    kind: Kind
    id: str
    target: str
    sent_at: float
    expires_at: float
    body: dict[str, Any]


def encode(envelope: Envelope) -> bytes:
    """Serialise; raises ``TypeError`` if the body holds something msgpack cannot encode."""
    packed: bytes = msgpack.packb(
        [
            int(envelope.kind),
            envelope.id,
            envelope.target,
            envelope.sent_at,
            envelope.expires_at,
            envelope.body,
        ],
        use_bin_type=True,
    )
    return packed


def decode(data: bytes) -> Envelope:
    """Parse bytes made by :func:`encode`; raises ``ValueError`` on anything else."""
    try:
        kind, msg_id, target, sent_at, expires_at, body = msgpack.unpackb(data, raw=False)
        return Envelope(Kind(kind), msg_id, target, float(sent_at), float(expires_at), body)
    except Exception as exc:  # msgpack raises several unrelated types on junk input
        raise ValueError("not a channels_pulsar envelope") from exc


def copy_message(message: dict[str, Any]) -> dict[str, Any]:
    """Return the message as a remote receiver would see it (a deep copy, tuples as lists).

    Used for in-process delivery so local and remote receivers observe identical values.
    """
    copied: dict[str, Any] = msgpack.unpackb(msgpack.packb(message, use_bin_type=True), raw=False)
    return copied
