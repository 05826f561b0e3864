"""Search: dense retrieval fused with keyword BM25, then the database visibility check."""

from __future__ import annotations

import difflib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Q

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import User
from tangerine.integrations import embeddings, milvus
from tangerine.search import fusion, keyword
from tangerine.search.highlight import matched_terms, snippet
from tangerine.search.selectors.common import item_cards, visible_items, visible_users
from tangerine.search.tokenize import query_terms

logger = logging.getLogger(__name__)

USER_CANDIDATES = 200


@dataclass
class Hit:
    kind: str
    obj: Any
    score: float
    highlights: list[str] = field(default_factory=list)
    snippet: str = ""
    snippet_html: str = ""


@dataclass
class Section:
    count: int
    hits: list[Hit]


@dataclass
class SearchResult:
    sections: dict[str, Section]
    dense: bool


# Dense searches wait on the vector store (Milvus Lite answers from its own process, a server
# over the network) without holding the GIL, so they run in these threads while the request
# thread runs BM25 in the database: the two retrievers overlap instead of adding up.
_DENSE_THREADS = 2
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _dense_pool() -> ThreadPoolExecutor:
    global _pool  # one small pool per process, made on first use
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(_DENSE_THREADS, thread_name_prefix="search-dense")
        return _pool


def _dense(
    kind: str, vector: np.ndarray, floor: float, depth: int
) -> list[tuple[int, float]] | None:
    """Dense candidates at or above the model's floor; None when the vector store failed."""
    try:
        hits = milvus.search(vector, kind=kind, limit=depth)
    except milvus.VectorStoreError:
        return None
    return [(h.object_id, h.score) for h in hits if h.score >= floor]


def _start_dense(
    kinds: list[str], vector: np.ndarray | None
) -> dict[str, Future[list[tuple[int, float]] | None]]:
    if vector is None:
        return {}
    floor = embeddings.get_embedder().min_score
    depth = settings.SEARCH_CANDIDATES
    pool = _dense_pool()
    return {
        kind: pool.submit(_dense, kind, vector, floor, depth)
        for kind in kinds
        if kind in {"post", "product"}
    }


def _ranked(
    kind: str,
    terms: list[str],
    dense_future: Future[list[tuple[int, float]] | None] | None,
    dense_weight: float,
) -> tuple[list[tuple[int, float]], bool]:
    """Fused (object_id, score) candidates, and whether the dense side answered."""
    lexical = keyword.bm25(kind=kind, terms=terms, limit=settings.SEARCH_CANDIDATES)
    dense = dense_future.result() if dense_future is not None else None
    if dense is None:
        return fusion.weighted([], lexical, dense_weight=0.0), False
    return fusion.weighted(dense, lexical, dense_weight=dense_weight), True


def _query_vector(q: str) -> np.ndarray | None:
    if not milvus.available():
        return None
    try:
        return embeddings.embed_query(q)
    except Exception:  # a broken model must not break search: keyword-only
        logger.exception("Query embedding failed")
        return None


def _page_of(ranked: list[tuple[int, float]], page: int, page_size: int) -> list[tuple[int, float]]:
    start = (page - 1) * page_size
    return ranked[start : start + page_size]


def _search_items(
    kind: str,
    *,
    viewer: Viewer,
    query: str,
    terms: list[str],
    marks: list[str],
    dense_future: Future[list[tuple[int, float]] | None] | None,
    page: int,
    page_size: int,
) -> tuple[Section, bool]:
    weight = fusion.dense_weight_for(query, settings.SEARCH_DENSE_WEIGHT)
    ranked, dense_ok = _ranked(kind, terms, dense_future, weight)
    if not ranked:
        return Section(0, []), dense_ok
    ids = [i for i, _ in ranked]
    base = visible_items(kind, viewer)
    allowed = set(base.filter(pk__in=ids).values_list("pk", flat=True))
    ranked = [(i, s) for i, s in ranked if i in allowed]
    window = _page_of(ranked, page, page_size)
    if not window:
        return Section(len(ranked), []), dense_ok
    cards = item_cards(kind, viewer)
    rows = {o.pk: o for o in cards.filter(pk__in=[i for i, _ in window])}
    hits = []
    for object_id, score in window:
        obj = rows.get(object_id)
        if obj is None:  # changed between the two queries
            continue
        title, body = item_text(kind, obj)
        plain, marked = snippet(body, marks)
        hits.append(
            Hit(
                kind=kind,
                obj=obj,
                score=round(score, 4),
                highlights=matched_terms(f"{title}\n{body}", marks),
                snippet=plain,
                snippet_html=marked,
            )
        )
    return Section(len(ranked), hits), dense_ok


def item_text(kind: str, obj: Any) -> tuple[str, str]:
    """(title, body) of a post or product."""
    if kind == "post":
        return obj.title, obj.text
    return obj.name, obj.description


def _user_score(q: str, user: User) -> float:
    q = q.lower()
    handle = user.handle.lower()
    name = user.display_name.lower()
    if handle == q or name == q:
        return 1.0
    if handle.startswith(q) or name.startswith(q):
        return 0.9 + 0.1 * len(q) / max(len(handle), 1)
    ratios = [difflib.SequenceMatcher(None, q, handle).ratio()]
    ratios += [difflib.SequenceMatcher(None, q, part).ratio() for part in name.split() if part]
    if q in name:
        ratios.append(0.8)
    return max(ratios) * 0.85


def _search_users(*, viewer: Viewer, q: str, page: int, page_size: int) -> Section:
    """Handles and display names: prefix first, then fuzzy (difflib on a prefiltered set)."""
    needle = q.strip().lstrip("@").lower()[:30]
    if not needle:
        return Section(0, [])
    grams = {needle[i : i + 2] for i in range(len(needle) - 1)}
    prefilter = Q(handle__istartswith=needle) | Q(display_name__icontains=needle)
    for gram in list(grams)[:8]:
        prefilter |= Q(handle__icontains=gram) | Q(display_name__icontains=gram)
    candidates = list(
        visible_users(viewer)
        .filter(prefilter)
        .select_related("profile_image")
        .order_by("-follower_count", "pk")[:USER_CANDIDATES]
    )
    scored = [(u, _user_score(needle, u)) for u in candidates]
    scored = [(u, s) for u, s in scored if s >= 0.5]
    scored.sort(key=lambda us: (-us[1], -us[0].follower_count, us[0].pk))
    window = scored[(page - 1) * page_size : page * page_size]
    hits = [
        Hit(
            kind="user",
            obj=u,
            score=round(s, 4),
            highlights=[needle] if needle in f"{u.handle} {u.display_name}".lower() else [],
        )
        for u, s in window
    ]
    return Section(len(scored), hits)


def search(*, q: str, kinds: list[str], viewer: Viewer, page: int, page_size: int) -> SearchResult:
    """Ranked results of each kind; ``dense`` is False when the vector store was not used."""
    terms = query_terms(q)
    marks = list(dict.fromkeys([*terms, *(w.lower() for w in q.split() if len(w) > 1)]))
    needs_vector = "post" in kinds or "product" in kinds
    vector = _query_vector(q) if needs_vector else None
    dense_futures = _start_dense(kinds, vector)
    sections: dict[str, Section] = {}
    dense = needs_vector and vector is not None
    for kind in kinds:
        if kind == "user":
            sections[kind] = _search_users(viewer=viewer, q=q, page=page, page_size=page_size)
            continue
        section, dense_ok = _search_items(
            kind,
            viewer=viewer,
            query=q,
            terms=terms,
            marks=marks,
            dense_future=dense_futures.get(kind),
            page=page,
            page_size=page_size,
        )
        dense = dense and dense_ok
        sections[kind] = section
    return SearchResult(sections=sections, dense=dense or not needs_vector)
