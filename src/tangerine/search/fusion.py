"""Fusing the dense and keyword rankings.

Plain reciprocal rank fusion throws the scores away: a keyword list where every candidate matched
one common word weighs as much as a dense list whose first hit is a near-duplicate of the query,
and on our labelled set it scored below dense retrieval alone. We use a weighted sum of
normalised scores instead (bench/search/quality.py compares the methods and tunes the weight on a
dev split; the numbers are in bench/search/README.md):

    dense'(d)   = (cos(d) - min cos) / (max cos - min cos)      over the dense candidates
    keyword'(d) = bm25(d) / max bm25                              over the keyword candidates
    score(d)    = w · dense'(d) + (1 - w) · keyword'(d)           (0 where a list lacks d)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
RRF_K = 60


def _minmax(ranked: Sequence[tuple[K, float]]) -> dict[K, float]:
    if not ranked:
        return {}
    scores = [s for _, s in ranked]
    low, high = min(scores), max(scores)
    if high - low < 1e-9:
        return {key: 1.0 for key, _ in ranked}
    return {key: (s - low) / (high - low) for key, s in ranked}


def _by_max(ranked: Sequence[tuple[K, float]]) -> dict[K, float]:
    if not ranked:
        return {}
    high = max(s for _, s in ranked)
    if high <= 0:
        return {key: 0.0 for key, _ in ranked}
    return {key: s / high for key, s in ranked}


def _sorted(scores: dict[K, float], order: dict[K, int]) -> list[tuple[K, float]]:
    # Ties keep the dense-then-keyword order, so results are stable from page to page.
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def _first_seen(*lists: Sequence[tuple[K, float]]) -> dict[K, int]:
    order: dict[K, int] = {}
    for ranked in lists:
        for key, _ in ranked:
            order.setdefault(key, len(order))
    return order


def weighted(
    dense: Sequence[tuple[K, float]], keyword: Sequence[tuple[K, float]], *, dense_weight: float
) -> list[tuple[K, float]]:
    """Weighted sum of normalised scores (the default)."""
    d, k = _minmax(dense), _by_max(keyword)
    fused = {
        key: dense_weight * d.get(key, 0.0) + (1.0 - dense_weight) * k.get(key, 0.0)
        for key in {*d, *k}
    }
    return _sorted(fused, _first_seen(dense, keyword))


def rrf(
    dense: Sequence[tuple[K, float]],
    keyword: Sequence[tuple[K, float]],
    *,
    dense_weight: float = 0.5,
) -> list[tuple[K, float]]:
    """Reciprocal rank fusion; ``dense_weight`` 0.5 is plain RRF (scaled by 2)."""
    fused: dict[K, float] = {}
    for weight, ranked in ((dense_weight, dense), (1.0 - dense_weight, keyword)):
        for rank, (key, _) in enumerate(ranked, start=1):
            fused[key] = fused.get(key, 0.0) + 2.0 * weight / (RRF_K + rank)
    return _sorted(fused, _first_seen(dense, keyword))
