"""Search and recommendation reads.

Every result passes a database visibility check at query time (published, not hidden, author
active and not suspended, no block either way, row still exists), whatever the index says, so a
late index job can never expose a draft, hidden, deleted or blocked item.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tangerine.accounts.models import Block, User
from tangerine.integrations import embeddings, milvus
from tangerine.posts.models import Comment, Post, PostImage, PostLike
from tangerine.products.models import Product, ProductImage
from tangerine.search import fusion, keyword
from tangerine.search.highlight import matched_terms, snippet
from tangerine.search.models import Event
from tangerine.search.tokenize import query_terms

logger = logging.getLogger(__name__)

KINDS = ("post", "product", "user")
QUERY_MAX_LENGTH = 200
USER_CANDIDATES = 200
RECOMMEND_MAX = 100
HISTORY_DAYS = 90
POPULAR_DAYS = 30
# Taste-vector weights (docs/search.md): a like says more than a comment, which says more than a
# glance; dwell counts from 2 s, one unit per 10 s, at most 3; everything halves every 14 days.
LIKE_WEIGHT = 3.0
COMMENT_WEIGHT = 2.0
DWELL_MIN_MS = 2000
DWELL_UNIT_MS = 10000
DWELL_MAX_WEIGHT = 3.0
HALF_LIFE_DAYS = 14.0


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


def _blocked_user_ids(viewer: Any) -> Q:
    return Q(Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk")))) | Q(
        Exists(Block.objects.filter(blocked=viewer, blocker=OuterRef("pk")))
    )


def visible_posts(viewer: Any) -> QuerySet[Post]:
    """Published posts the viewer may see (never drafts, not even the viewer's own)."""
    return Post.objects.visible_to(viewer).filter(status=Post.Status.PUBLISHED)


def visible_products(viewer: Any) -> QuerySet[Product]:
    return Product.objects.visible_to(viewer).filter(hidden_at__isnull=True)


def visible_users(viewer: Any) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, suspended_at__isnull=True)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(_blocked_user_ids(viewer))
    return qs


def _post_cards(viewer: Any) -> QuerySet[Post]:
    images = PostImage.objects.select_related("image").order_by("position")
    return (
        visible_posts(viewer)
        .select_related("author__profile_image")
        .prefetch_related(Prefetch("post_images", queryset=images))
    )


def _product_cards(viewer: Any) -> QuerySet[Product]:
    images = ProductImage.objects.select_related("image").order_by("position")
    return (
        visible_products(viewer)
        .select_related("owner__profile_image")
        .prefetch_related(Prefetch("product_images", queryset=images))
    )


def _ranked(
    kind: str, terms: list[str], vector: np.ndarray | None
) -> tuple[list[tuple[int, float]], bool]:
    """Fused (object_id, score) candidates, and whether the dense side answered."""
    depth = settings.SEARCH_CANDIDATES
    lexical = keyword.bm25(kind=kind, terms=terms, limit=depth)
    dense: list[tuple[int, float]] = []
    dense_ok = False
    if vector is not None:
        try:
            floor = embeddings.get_embedder().min_score
            hits = milvus.search(vector, kind=kind, limit=depth)
            dense = [(h.object_id, h.score) for h in hits if h.score >= floor]
            dense_ok = True
        except milvus.VectorStoreError:
            dense_ok = False
    if not dense_ok:
        return fusion.weighted([], lexical, dense_weight=0.0), False
    return fusion.weighted(dense, lexical, dense_weight=settings.SEARCH_DENSE_WEIGHT), True


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
    viewer: Any,
    terms: list[str],
    marks: list[str],
    vector: np.ndarray | None,
    page: int,
    page_size: int,
) -> tuple[Section, bool]:
    ranked, dense_ok = _ranked(kind, terms, vector)
    if not ranked:
        return Section(0, []), dense_ok
    ids = [i for i, _ in ranked]
    base = visible_posts(viewer) if kind == "post" else visible_products(viewer)
    allowed = set(base.filter(pk__in=ids).values_list("pk", flat=True))
    ranked = [(i, s) for i, s in ranked if i in allowed]
    window = _page_of(ranked, page, page_size)
    if not window:
        return Section(len(ranked), []), dense_ok
    cards = _post_cards(viewer) if kind == "post" else _product_cards(viewer)
    rows = {o.pk: o for o in cards.filter(pk__in=[i for i, _ in window])}
    hits = []
    for object_id, score in window:
        obj = rows.get(object_id)
        if obj is None:  # changed between the two queries
            continue
        title, body = (obj.title, obj.text) if kind == "post" else (obj.name, obj.description)
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


def _search_users(*, viewer: Any, q: str, page: int, page_size: int) -> Section:
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


def search(*, q: str, kinds: list[str], viewer: Any, page: int, page_size: int) -> SearchResult:
    """Ranked results of each kind; ``dense`` is False when the vector store was not used."""
    terms = query_terms(q)
    marks = list(dict.fromkeys([*terms, *(w.lower() for w in q.split() if len(w) > 1)]))
    needs_vector = "post" in kinds or "product" in kinds
    vector = _query_vector(q) if needs_vector else None
    sections: dict[str, Section] = {}
    dense = needs_vector and vector is not None
    for kind in kinds:
        if kind == "user":
            sections[kind] = _search_users(viewer=viewer, q=q, page=page, page_size=page_size)
            continue
        section, dense_ok = _search_items(
            kind,
            viewer=viewer,
            terms=terms,
            marks=marks,
            vector=vector,
            page=page,
            page_size=page_size,
        )
        dense = dense and dense_ok
        sections[kind] = section
    return SearchResult(sections=sections, dense=dense or not needs_vector)


# --- recommendations ---------------------------------------------------------------------------


@dataclass
class Signal:
    kind: str
    object_id: int
    weight: float
    reason: str  # "liked", "commented" or "dwelled"


@dataclass
class Recommendation:
    obj: Any
    score: float
    reason: dict[str, Any]


@dataclass
class Recommendations:
    items: list[Recommendation]
    personal: bool
    dense: bool


def _decay(at: Any, now: Any) -> float:
    age_days = max((now - at).total_seconds(), 0.0) / 86400.0
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def dwell_weight(dwell_ms: int) -> float:
    if dwell_ms < DWELL_MIN_MS:
        return 0.0
    return min(dwell_ms / DWELL_UNIT_MS, DWELL_MAX_WEIGHT)


def taste_signals(viewer: Any) -> tuple[list[Signal], set[tuple[str, int]]]:
    """Weighted interactions of ``viewer`` (merged per item) and every item they have seen.

    weight(item) = Σ over interactions of base · 0.5^(age_days / 14), with base 3 for a like,
    2 for a comment and min(dwell_ms / 10 000, 3) for a dwell of at least 2 s.
    """
    now = timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    contributions: dict[tuple[str, int], dict[str, float]] = {}
    seen: set[tuple[str, int]] = set()

    def add(kind: str, object_id: int, reason: str, weight: float) -> None:
        seen.add((kind, object_id))
        if weight > 0:
            per = contributions.setdefault((kind, object_id), {})
            per[reason] = per.get(reason, 0.0) + weight

    likes = PostLike.objects.filter(user=viewer, created_at__gte=since).order_by("-created_at")
    for post_id, at in likes.values_list("post_id", "created_at")[:200]:
        add("post", post_id, "liked", LIKE_WEIGHT * _decay(at, now))
    comments = Comment.objects.filter(author=viewer, created_at__gte=since).order_by("-created_at")
    for post_id, at in comments.values_list("post_id", "created_at")[:200]:
        add("post", post_id, "commented", COMMENT_WEIGHT * _decay(at, now))
    events = Event.objects.filter(user=viewer, created_at__gte=since).order_by("-created_at")
    for kind, object_id, dwell, at in events.values_list(
        "kind", "object_id", "dwell_ms", "created_at"
    )[:500]:
        add(kind, object_id, "dwelled", dwell_weight(dwell) * _decay(at, now))
    signals = [
        Signal(kind, object_id, sum(per.values()), max(per, key=per.__getitem__))
        for (kind, object_id), per in contributions.items()
    ]
    signals.sort(key=lambda s: -s.weight)
    return signals[:50], seen


def _popular_posts(viewer: Any, exclude: set[int]) -> QuerySet[Post]:
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    qs = visible_posts(viewer).filter(created_at__gte=since)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(author=viewer)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    popularity = F("like_count") * 3 + F("comment_count") * 2 + F("view_count")
    return qs.alias(popularity=popularity).order_by("-popularity", "-created_at", "-pk")


def _popular_products(viewer: Any, exclude: set[int]) -> QuerySet[Product]:
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    qs = visible_products(viewer).filter(created_at__gte=since)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(owner=viewer)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    popularity = F("like_count") * 3 + F("view_count")
    return qs.alias(popularity=popularity).order_by("-popularity", "-created_at", "-pk")


def _reason_items(signals: list[Signal]) -> dict[tuple[str, int], dict[str, Any]]:
    post_ids = [s.object_id for s in signals if s.kind == "post"]
    product_ids = [s.object_id for s in signals if s.kind == "product"]
    out: dict[tuple[str, int], dict[str, Any]] = {}
    if post_ids:
        for pk, uuid, title, text in Post.objects.filter(pk__in=post_ids).values_list(
            "pk", "uuid", "title", "text"
        ):
            out[("post", pk)] = {"kind": "post", "uuid": str(uuid), "title": title or text[:60]}
    if product_ids:
        for pk, uuid, name in Product.objects.filter(pk__in=product_ids).values_list(
            "pk", "uuid", "name"
        ):
            out[("product", pk)] = {"kind": "product", "uuid": str(uuid), "title": name}
    return out


def _personal_ranked(
    kind: str, viewer: Any, signals: list[Signal], seen: set[tuple[str, int]]
) -> list[tuple[int, float, Signal]] | None:
    """(object_id, score, strongest signal) nearest the taste vector; None if Milvus is down."""
    try:
        vectors = milvus.get_vectors([(s.kind, s.object_id) for s in signals])
        usable = [
            (s, vectors[(s.kind, s.object_id)]) for s in signals if (s.kind, s.object_id) in vectors
        ]
        if not usable:
            return []
        taste = np.sum([s.weight * v for s, v in usable], axis=0)
        norm = float(np.linalg.norm(taste))
        if norm == 0.0:
            return []
        taste = taste / norm
        exclude = sorted(i for k, i in seen if k == kind)[:1000]
        hits = milvus.search(
            taste,
            kind=kind,
            limit=RECOMMEND_MAX,
            exclude_owner_ids=[viewer.pk],
            exclude_object_ids=exclude,
            with_vectors=True,
        )
    except milvus.VectorStoreError:
        return None
    floor = embeddings.get_embedder().min_score
    ranked = []
    for hit in hits:
        if hit.score < floor:  # not similar enough to say "because you liked": popular instead
            continue
        # "Because you liked X": the history item that contributes most to this hit's score.
        best = max(
            usable,
            key=lambda sv: (
                sv[0].weight * float(np.dot(sv[1], hit.vector))
                if hit.vector is not None
                else sv[0].weight
            ),
        )[0]
        ranked.append((hit.object_id, hit.score, best))
    return ranked


def _recommend(
    kind: str, *, viewer: Any, page: int, page_size: int
) -> tuple[list[Recommendation], int, bool, bool]:
    """(page of recommendations, total count, personal?, dense?)."""
    popular_qs = _popular_posts if kind == "post" else _popular_products
    cards = _post_cards(viewer) if kind == "post" else _product_cards(viewer)
    base = visible_posts(viewer) if kind == "post" else visible_products(viewer)
    signals: list[Signal] = []
    seen: set[tuple[str, int]] = set()
    personal: list[tuple[int, float, Signal]] | None = []
    if viewer is not None and viewer.is_authenticated:
        signals, seen = taste_signals(viewer)
        if signals:
            personal = _personal_ranked(kind, viewer, signals, seen)
    dense_ok = personal is not None
    ranked: list[tuple[int, float, Signal | None]] = []
    if personal:
        allowed = set(base.filter(pk__in=[i for i, _, _ in personal]).values_list("pk", flat=True))
        ranked = [(i, s, sig) for i, s, sig in personal if i in allowed]
    if len(ranked) < RECOMMEND_MAX:
        taken = {i for i, _, _ in ranked} | {i for k, i in seen if k == kind}
        fill = popular_qs(viewer, taken).values_list("pk", flat=True)[: RECOMMEND_MAX - len(ranked)]
        ranked += [(i, 0.0, None) for i in fill]
    window = ranked[(page - 1) * page_size : page * page_size]
    rows = {o.pk: o for o in cards.filter(pk__in=[i for i, _, _ in window])} if window else {}
    reasons = _reason_items([sig for _, _, sig in window if sig is not None])
    items = []
    for object_id, score, sig in window:
        obj = rows.get(object_id)
        if obj is None:
            continue
        if sig is not None and (sig.kind, sig.object_id) in reasons:
            reason = {"kind": sig.reason, "item": reasons[(sig.kind, sig.object_id)]}
        else:
            reason = {"kind": "popular", "item": None}
        items.append(Recommendation(obj=obj, score=round(score, 4), reason=reason))
    return items, len(ranked), bool(personal), dense_ok


def post_recommendations(
    *, viewer: Any, page: int = 1, page_size: int = 20
) -> tuple[list[Recommendation], int, bool, bool]:
    """Posts for ``viewer``: nearest unseen to their taste, then popular recent ones."""
    return _recommend("post", viewer=viewer, page=page, page_size=page_size)


def product_recommendations(*, viewer: Any, limit: int = 20) -> list[Recommendation]:
    """Products for ``viewer`` (taste from posts and products alike: one embedding space).

    Each item has ``.obj`` (a Product with owner, owner.profile_image and product_images
    prefetched), ``.score`` and ``.reason`` ({"kind": "liked"|"commented"|"dwelled"|"popular",
    "item": {"kind", "uuid", "title"} or None}).
    """
    items, _, _, _ = _recommend("product", viewer=viewer, page=1, page_size=limit)
    return items
