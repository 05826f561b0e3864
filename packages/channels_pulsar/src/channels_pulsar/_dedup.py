"""A bounded set of recently seen message ids."""

from __future__ import annotations

from collections import OrderedDict


class RecentIds:
    """Remembers the last ``size`` ids; older ones are forgotten first.

    pulsar-lite redelivers duplicates shortly after the original (within the receiver queue
    size in our measurements), so a window a few times larger than the receiver queue catches
    them while memory stays bounded. Not thread-safe: callers hold the layer lock.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be positive")
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, msg_id: str) -> bool:
        """Record ``msg_id``; return ``False`` if it was already in the window."""
        if msg_id in self._ids:
            return False
        self._ids[msg_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._ids)
