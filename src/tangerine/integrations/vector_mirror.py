"""An in-process copy of the vector collection, searched exactly with numpy.

Milvus Lite spends 80-160 ms per search at 10k-100k vectors on two cores, most of it in its Python
wrapper and gRPC hop (FIELD-NOTES), which put search p50 in the hundreds of milliseconds. When
this process is the collection's only writer — a Milvus Lite *file*, which one process alone can
open — every write passes through ``milvus.write``, so a copy kept here stays exact: searches
read it (a matrix product over the kind's rows, ~10 ms at 100k x 384 on one core) and Milvus
stays the store of record (durable, shared by ``manage.py`` commands run while the server is
stopped, rebuilt from on restart).

``SEARCH_VECTOR_MIRROR``: ``auto`` (on for a Lite file, off for a Milvus server, whose other
writers this process would not see), ``on`` or ``off``. The copy loads on the first search (or
at start with ``SEARCH_WARM_AT_START``) while holding the vector write lock, so no write slips
between the snapshot and the copy; until it is loaded, searches go to Milvus. Memory: 4 bytes x
384 per item (150 MB at 100k).

Results equal Milvus' for the same filters, except that they are exact (Milvus' HNSW is
approximate) and ties keep insertion order.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

_INITIAL_CAPACITY = 1024


@dataclass(frozen=True)
class Row:
    kind: str
    object_id: int
    owner_id: int
    visible: bool
    vector: np.ndarray


def _unit(vector: np.ndarray) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


class _KindTable:
    """The rows of one kind: slot arrays with a free list (deleted slots are reused)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.matrix = np.zeros((_INITIAL_CAPACITY, dim), dtype=np.float32)
        self.object_ids = np.zeros(_INITIAL_CAPACITY, dtype=np.int64)
        self.owner_ids = np.zeros(_INITIAL_CAPACITY, dtype=np.int64)
        # alive and visible: a slot that search may return
        self.live = np.zeros(_INITIAL_CAPACITY, dtype=bool)
        self.visible = np.zeros(_INITIAL_CAPACITY, dtype=bool)
        self.used = 0
        self.free: list[int] = []
        self.slot_of: dict[int, int] = {}

    def _grow(self) -> None:
        size = len(self.object_ids) * 2
        self.matrix = np.resize(self.matrix, (size, self.dim))
        for name in ("object_ids", "owner_ids", "live", "visible"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def put(self, row: Row) -> None:
        slot = self.slot_of.get(row.object_id)
        if slot is None:
            if self.free:
                slot = self.free.pop()
            else:
                if self.used == len(self.object_ids):
                    self._grow()
                slot = self.used
                self.used += 1
            self.slot_of[row.object_id] = slot
        self.matrix[slot] = _unit(row.vector)
        self.object_ids[slot] = row.object_id
        self.owner_ids[slot] = row.owner_id
        self.visible[slot] = row.visible
        self.live[slot] = True

    def remove(self, object_id: int) -> None:
        slot = self.slot_of.pop(object_id, None)
        if slot is not None:
            self.live[slot] = False
            self.visible[slot] = False
            self.free.append(slot)

    def remove_owner(self, owner_id: int) -> None:
        n = self.used
        for slot in np.flatnonzero(self.live[:n] & (self.owner_ids[:n] == owner_id)):
            self.remove(int(self.object_ids[slot]))

    def view(self) -> _KindTable:
        """A shallow copy sharing the arrays (a later ``_grow`` replaces them, not this)."""
        copy = _KindTable.__new__(_KindTable)
        copy.__dict__.update(self.__dict__)
        return copy

    def search(
        self,
        query: np.ndarray,
        limit: int,
        exclude_owner_ids: list[int] | None,
        exclude_object_ids: list[int] | None,
    ) -> list[tuple[int, float, int]]:
        """(object_id, cosine, slot) of the best ``limit`` visible rows, best first."""
        n = self.used
        if n == 0 or limit <= 0:
            return []
        mask = self.live[:n] & self.visible[:n]
        if exclude_owner_ids:
            mask &= ~np.isin(self.owner_ids[:n], np.asarray(exclude_owner_ids, dtype=np.int64))
        if exclude_object_ids:
            mask &= ~np.isin(self.object_ids[:n], np.asarray(exclude_object_ids, dtype=np.int64))
        count = int(mask.sum())
        if count == 0:
            return []
        # One product over the whole block (a view, no copy): gathering the visible rows first
        # copied the kind's matrix on every search (138 MB for 90k posts), which cost more than
        # the product itself. Rows that may not be returned score -inf.
        scores = self.matrix[:n] @ _unit(query)
        scores[~mask] = -np.inf
        k = min(limit, count)
        top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
        top = top[mask[top]]
        # Best first; equal scores in slot order (stable), as a deterministic tie-break.
        ordered = top[np.lexsort((top, -scores[top]))]
        return [(int(self.object_ids[i]), float(scores[i]), int(i)) for i in ordered]


class Mirror:
    """Every row of the collection by kind; all methods are thread-safe."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.lock = threading.RLock()
        self.loaded = False
        # What it was loaded from (the Milvus URI and collection).
        self.source: tuple[str, str] | None = None
        self.tables: dict[str, _KindTable] = {}

    def _table(self, kind: str) -> _KindTable:
        table = self.tables.get(kind)
        if table is None:
            table = self.tables[kind] = _KindTable(self.dim)
        return table

    def replace_all(self, rows: list[Row], *, source: tuple[str, str] | None = None) -> None:
        with self.lock:
            self.tables = {}
            for row in rows:
                self._table(row.kind).put(row)
            self.source = source
            self.loaded = True

    def clear(self) -> None:
        """Forget everything (the collection was dropped); reload on next use."""
        with self.lock:
            self.tables = {}
            self.source = None
            self.loaded = False

    def upsert(self, rows: list[Row]) -> None:
        with self.lock:
            if self.loaded:
                for row in rows:
                    self._table(row.kind).put(row)

    def delete(self, keys: list[tuple[str, int]]) -> None:
        with self.lock:
            if self.loaded:
                for kind, object_id in keys:
                    if kind in self.tables:
                        self.tables[kind].remove(int(object_id))

    def delete_owner(self, owner_id: int) -> None:
        with self.lock:
            if self.loaded:
                for table in self.tables.values():
                    table.remove_owner(int(owner_id))

    def count(self) -> int:
        with self.lock:
            return sum(len(t.slot_of) for t in self.tables.values())

    def search(
        self,
        query: np.ndarray,
        *,
        kind: str,
        limit: int,
        exclude_owner_ids: list[int] | None = None,
        exclude_object_ids: list[int] | None = None,
        with_vectors: bool = False,
    ) -> list[tuple[int, float, np.ndarray | None]]:
        # The product runs outside the lock, on the arrays as they are now: numpy releases the
        # GIL for it, so the post and product searches of one request overlap. A write racing
        # it can at worst give one row this query's old or new score.
        with self.lock:
            table = self.tables.get(kind)
            if table is None:
                return []
            view = table.view()
        found = view.search(query, limit, exclude_owner_ids, exclude_object_ids)
        return [
            (object_id, score, view.matrix[slot].copy() if with_vectors else None)
            for object_id, score, slot in found
        ]
