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

import re
from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
RRF_K = 60
# Mixed Korean/English queries ("아이폰 case 추천") name exact products and brands that the
# embedding blurs: keyword weighs more there (chosen on the dev split, bench/search/README.md).
MIXED_QUERY_DENSE_WEIGHT = 0.4
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def dense_weight_for(query: str, default: float) -> float:
    """The dense weight for ``query``: lower when it mixes Hangul and Latin words."""
    if _HANGUL.search(query) and _LATIN.search(query):
        return min(default, MIXED_QUERY_DENSE_WEIGHT)
    return default


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


def _zscore(ranked: Sequence[tuple[K, float]]) -> dict[K, float]:
    if not ranked:
        return {}
    scores = [s for _, s in ranked]
    mean = sum(scores) / len(scores)
    std = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
    if std < 1e-9:
        return {key: 0.0 for key, _ in ranked}
    return {key: (s - mean) / std for key, s in ranked}


def gated(
    dense: Sequence[tuple[K, float]],
    keyword: Sequence[tuple[K, float]],
    *,
    max_keyword: float,
    boost: float,
    gate: float,
) -> list[tuple[K, float]]:
    """Dense order, plus a keyword boost only where BM25 is confident.

    Confidence is bm25(d) / the query's own maximum possible score (Σ idf·(k1+1) over its
    terms), so it means the same for a one-word and a five-word query; below ``gate`` keyword
    adds nothing. Without dense results this is keyword order.
    """
    d = _minmax(dense)
    fused = dict(d)
    for key, s in keyword:
        confidence = s / max_keyword if max_keyword > 0 else 0.0
        if confidence >= gate:
            fused[key] = fused.get(key, 0.0) + boost * confidence
        elif not d:
            fused[key] = confidence
    return _sorted(fused, _first_seen(dense, keyword))


def comb_mnz(
    dense: Sequence[tuple[K, float]], keyword: Sequence[tuple[K, float]]
) -> list[tuple[K, float]]:
    """CombMNZ: sum of normalised scores times the number of lists that found the item."""
    d, k = _minmax(dense), _by_max(keyword)
    fused = {
        key: (d.get(key, 0.0) + k.get(key, 0.0)) * ((key in d) + (key in k)) for key in {*d, *k}
    }
    return _sorted(fused, _first_seen(dense, keyword))


def weighted_z(
    dense: Sequence[tuple[K, float]], keyword: Sequence[tuple[K, float]], *, dense_weight: float
) -> list[tuple[K, float]]:
    """Weighted sum of z-scores (an item missing from a list gets that list's minimum)."""
    d, k = _zscore(dense), _zscore(keyword)
    d_floor, k_floor = min(d.values(), default=0.0), min(k.values(), default=0.0)
    fused = {
        key: dense_weight * d.get(key, d_floor) + (1.0 - dense_weight) * k.get(key, k_floor)
        for key in {*d, *k}
    }
    return _sorted(fused, _first_seen(dense, keyword))
