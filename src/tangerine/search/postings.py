"""An in-process copy of the keyword postings, scored with numpy: BM25 without SQL.

At 100k items (1.8 M postings) the grouped SQL of ``keyword.bm25`` costs hundreds of
milliseconds for a query with common or expanded terms on a loaded machine (bench/search/
README.md, "Round 3"); the same sums over numpy arrays held in memory take a few. The
database stays the store of record; this copy follows it:

- **Load**: in a background thread when a served process starts (``load_at_start``, through
  ``search/startup.py`` from ``config/asgi.py``, with ``SEARCH_WARM_AT_START``), else on first
  use; until it is loaded, search scores in SQL. ``status()`` says whether it is loaded (the
  readiness probe reports it). Every ``RELOAD_SECONDS`` it is rebuilt in the background (which
  also drops items removed by other processes, see below).
- **Before every use, in the request's own connection** (so a request sees exactly what its
  transaction sees, writes of other processes included): one query reads the highest posting id
  and, when it moved, the documents whose postings were written since. Indexing a document always
  replaces all its postings with new rows (new ids), so a new or re-indexed document is noticed,
  and read again whole (its old terms leave with it). On PostgreSQL a transaction may commit
  after another that took higher ids, so the scan looks back ``LAG_SECONDS`` of ids: a document
  whose postings come into view late is still read. More than ``MAX_DELTA`` changed documents at
  once (a bulk reindex): SQL for that request, and a reload in the background.
- **Removals** made by this process leave the copy when their transaction commits; removals by
  other processes are only noticed by the next reload. Until then such an item may take one of
  the candidate places, never a result: every candidate passes the database visibility check.
- A highest id lower than the one seen (the database was emptied or rolled back, as in tests)
  drops the copy.

Scores equal ``keyword.bm25``'s (same N, average length, df, formula in float64, same tie
order); tests compare the two. ``SEARCH_POSTINGS_CACHE`` turns it off (the test suite runs
without it, except the tests of this module).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from tangerine.search.models import SearchDocument, SearchPosting

logger = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
RELOAD_SECONDS = 600.0
LAG_SECONDS = 30.0
MAX_DELTA = 2000


@dataclass
class _Kind:
    """The documents and postings of one kind. Slots are never reused: a re-indexed document
    gets a new slot, and its old one is dead (masked) until the next reload."""

    slot_of: dict[int, int] = field(default_factory=dict)
    object_ids: list[int] = field(default_factory=list)
    lengths: list[float] = field(default_factory=list)
    live: list[bool] = field(default_factory=list)
    total_length: float = 0.0
    terms: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    # numpy views of the lists above, rebuilt after a change
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def put(self, object_id: int, length: int, postings: list[tuple[str, int]]) -> None:
        self.remove(object_id)
        slot = len(self.object_ids)
        self.slot_of[object_id] = slot
        self.object_ids.append(object_id)
        self.lengths.append(float(length))
        self.live.append(True)
        self.total_length += length
        for term, tf in postings:
            slots, tfs = self.terms.get(term, (_EMPTY_I, _EMPTY_F))
            self.terms[term] = (np.append(slots, np.int32(slot)), np.append(tfs, np.float64(tf)))
        self._arrays = None

    def remove(self, object_id: int) -> None:
        slot = self.slot_of.pop(object_id, None)
        if slot is not None:
            self.live[slot] = False
            self.total_length -= self.lengths[slot]
            self._arrays = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            self._arrays = (
                np.asarray(self.object_ids, dtype=np.int64),
                np.asarray(self.lengths, dtype=np.float64),
                np.asarray(self.live, dtype=bool),
            )
        return self._arrays


_EMPTY_I = np.zeros(0, dtype=np.int32)
_EMPTY_F = np.zeros(0, dtype=np.float64)


@dataclass
class _State:
    kinds: dict[str, _Kind] = field(default_factory=dict)
    loaded_at: float = 0.0
    # Highest posting id read, and (time, highest id) checkpoints for the look-back window.
    top_id: int = 0
    checkpoints: deque[tuple[float, int]] = field(default_factory=deque)
    # (kind, object_id) -> highest posting id already read for that document
    seen: dict[tuple[str, int], int] = field(default_factory=dict)
    postings: int = 0  # read by the load


_lock = threading.RLock()
_state: _State | None = None
_loading = threading.Event()


def enabled() -> bool:
    return bool(settings.SEARCH_POSTINGS_CACHE)


def forget() -> None:
    """Drop the copy (tests; a reset database)."""
    global _state
    with _lock:
        _state = None


def _load() -> _State:
    state = _State()
    top = SearchPosting.objects.aggregate(top=Max("id"))["top"] or 0
    for kind in ("post", "product"):
        table = state.kinds[kind] = _Kind()
        rows = SearchDocument.objects.filter(kind=kind).values_list("object_id", "length")
        for object_id, length in rows.iterator(chunk_size=20000):
            table.slot_of[object_id] = len(table.object_ids)
            table.object_ids.append(object_id)
            table.lengths.append(float(length))
            table.live.append(True)
            table.total_length += length
        grouped: dict[str, tuple[list[int], list[float]]] = {}
        postings = (
            SearchPosting.objects.filter(kind=kind, id__lte=top)
            .values_list("term", "object_id", "tf")
            .iterator(chunk_size=20000)
        )
        for term, object_id, tf in postings:
            slot = table.slot_of.get(object_id)
            if slot is not None:
                slots, tfs = grouped.setdefault(term, ([], []))
                slots.append(slot)
                tfs.append(float(tf))
        table.terms = {
            t: (np.asarray(s, dtype=np.int32), np.asarray(f, dtype=np.float64))
            for t, (s, f) in grouped.items()
        }
    state.postings = sum(len(s) for k in state.kinds.values() for s, _ in k.terms.values())
    state.top_id = state_top = int(top)
    state.checkpoints.append((time.monotonic(), state_top))
    state.loaded_at = time.monotonic()
    return state


def load_now(*, unless_newer_than: float | None = None) -> None:
    """Load (or reload) the copy in this thread; with ``unless_newer_than`` (a monotonic time),
    keep a copy loaded after that moment instead (a background load must not replace a
    newer one)."""
    global _state
    state = _load()
    with _lock:
        newer = _state is not None and _state.loaded_at > (unless_newer_than or math.inf)
        if not newer:
            _state = state
    logger.info("Loaded %d keyword postings into the in-process copy", state.postings)


def load_in_background() -> None:
    if _loading.is_set():
        return
    _loading.set()

    started = time.monotonic()

    def run() -> None:
        try:
            load_now(unless_newer_than=started)
        except Exception:  # keep scoring in SQL
            logger.exception("Loading the keyword postings copy failed")
        finally:
            connection.close()  # this thread's own connection: the thread ends here
            _loading.clear()

    threading.Thread(target=run, name="search-postings-load", daemon=True).start()


def load_at_start() -> None:
    """Start loading the copy now, off the request path (a served process's start-up), so the
    first searches after a deploy score in memory instead of in SQL."""
    if enabled():
        load_in_background()


def status() -> dict[str, object]:
    """Whether the copy is on and loaded (readiness probe): ``loaded``, ``loading``,
    ``documents``, ``postings`` (as read by the last load) and ``age_seconds`` of that load."""
    with _lock:
        state = _state
        documents = sum(len(k.slot_of) for k in state.kinds.values()) if state else 0
    return {
        "enabled": enabled(),
        "loaded": state is not None,
        "loading": _loading.is_set(),
        "documents": documents,
        "postings": state.postings if state else 0,
        "age_seconds": round(time.monotonic() - state.loaded_at, 1) if state else None,
    }


def _sync(state: _State) -> bool:
    """Bring the copy up to what this connection sees; False when it cannot (use SQL)."""
    top = int(SearchPosting.objects.aggregate(top=Max("id"))["top"] or 0)
    if top < state.top_id:
        forget()  # emptied or rolled back under us
        return False
    now = time.monotonic()
    # The floor is the highest id seen LAG_SECONDS ago: later ids are scanned again.
    while len(state.checkpoints) > 1 and now - state.checkpoints[1][0] > LAG_SECONDS:
        state.checkpoints.popleft()
    floor = state.checkpoints[0][1]
    if top == state.top_id == floor:
        return True
    changed = list(
        SearchPosting.objects.filter(id__gt=floor)
        .values_list("kind", "object_id")
        .annotate(top=Max("id"))
        .values_list("kind", "object_id", "top")[: MAX_DELTA + 1]
    )
    if len(changed) > MAX_DELTA:
        load_in_background()
        return False
    stale = [(k, o, t) for k, o, t in changed if state.seen.get((k, o)) != t]
    if stale:
        _read_documents(state, stale)
    state.top_id = top
    if state.checkpoints[-1][1] != top:
        state.checkpoints.append((now, top))
    return True


def _read_documents(state: _State, docs: list[tuple[str, int, int]]) -> None:
    for kind in {k for k, _, _ in docs}:
        ids = [o for k, o, _ in docs if k == kind]
        lengths = dict(
            SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list(
                "object_id", "length"
            )
        )
        terms: dict[int, list[tuple[str, int]]] = {o: [] for o in ids}
        rows = SearchPosting.objects.filter(kind=kind, object_id__in=ids).values_list(
            "object_id", "term", "tf"
        )
        for object_id, term, tf in rows:
            terms[object_id].append((term, tf))
        table = state.kinds.setdefault(kind, _Kind())
        for object_id in ids:
            if object_id in lengths:
                table.put(object_id, lengths[object_id], terms[object_id])
            else:
                table.remove(object_id)
    for kind, object_id, top in docs:
        state.seen[(kind, object_id)] = top


def removed(kind: str, object_id: int) -> None:
    """This process removed a document from the index: drop it once that commits."""

    def apply() -> None:
        with _lock:
            if _state is not None and kind in _state.kinds:
                _state.kinds[kind].remove(object_id)

    transaction.on_commit(apply)


def bm25(*, kind: str, terms: list[str], limit: int) -> list[tuple[int, float]] | None:
    """Best ``limit`` (object_id, score) pairs, as ``keyword.bm25``; None when the copy is not
    ready (the caller scores in SQL)."""
    if not enabled():
        return None
    with _lock:
        state = _state
        if state is None:
            load_in_background()
            return None
        if time.monotonic() - state.loaded_at > RELOAD_SECONDS:
            load_in_background()
        if not _sync(state):
            return None
        table = state.kinds.get(kind)
        if table is None or not terms:
            return []
        object_ids, lengths, live = table.arrays()
        n_docs = len(table.slot_of)
        if n_docs == 0:
            return []
        avgdl = table.total_length / n_docs or 1.0
        postings = [table.terms[t] for t in dict.fromkeys(terms) if t in table.terms]
    scores = np.zeros(len(object_ids), dtype=np.float64)
    for slots, tfs in postings:
        alive = live[slots]
        slots, tfs = slots[alive], tfs[alive]
        df = len(slots)
        if df == 0:
            continue
        idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B) + (K1 * B / avgdl) * lengths[slots]
        # One posting per document and term: plain fancy-index addition is exact here.
        scores[slots] += idf * tfs * (K1 + 1) / (tfs + norm)
    found = np.flatnonzero(scores > 0)
    if found.size == 0:
        return []
    # The SQL's order: the score to 1e-9 (truncated, as its cast), then the id.
    rank = np.trunc(scores[found] * 1e9)
    ids = object_ids[found]
    order = np.lexsort((ids, -rank))[:limit]
    return [(int(ids[i]), float(scores[found[i]])) for i in order]
