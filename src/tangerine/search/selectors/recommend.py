"""Recommendations: nearest items to the viewer's taste vector, then popular recent ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db.models import F, QuerySet
from django.utils import timezone

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import User
from tangerine.integrations import embeddings, milvus
from tangerine.posts.models import Comment, Post, PostLike
from tangerine.products.models import Product
from tangerine.search.models import Event
from tangerine.search.selectors.common import item_cards, visible_items, visible_posts

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


def taste_signals(viewer: Viewer) -> tuple[list[Signal], set[tuple[str, int]]]:
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


def _popular_posts(viewer: Viewer, exclude: set[int]) -> QuerySet[Post]:
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    qs = visible_posts(viewer).filter(created_at__gte=since)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(author=viewer)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    popularity = F("like_count") * 3 + F("comment_count") * 2 + F("view_count")
    return qs.alias(popularity=popularity).order_by("-popularity", "-created_at", "-pk")


def _popular_products(viewer: Viewer, exclude: set[int]) -> QuerySet[Product]:
    # The products app's order (recent popular first, then older ones, muted owners left out),
    # so the list is never empty while anything is left to show.
    from tangerine.products.selectors import product_list_recommended

    qs = product_list_recommended(viewer=viewer)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(owner=viewer)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return qs


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
    kind: str, viewer: User, signals: list[Signal], seen: set[tuple[str, int]]
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
    kind: str, *, viewer: Viewer, page: int, page_size: int
) -> tuple[list[Recommendation], int, bool, bool]:
    """(page of recommendations, total count, personal?, dense?)."""
    popular_qs = _popular_posts if kind == "post" else _popular_products
    cards = item_cards(kind, viewer)
    base = visible_items(kind, viewer)
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
        reason: dict[str, Any]
        if sig is not None and (sig.kind, sig.object_id) in reasons:
            reason = {"kind": sig.reason, "item": reasons[(sig.kind, sig.object_id)]}
        else:
            reason = {"kind": "popular", "item": None}
        items.append(Recommendation(obj=obj, score=round(score, 4), reason=reason))
    return items, len(ranked), bool(personal), dense_ok


def post_recommendations(
    *, viewer: Viewer, page: int = 1, page_size: int = 20
) -> tuple[list[Recommendation], int, bool, bool]:
    """Posts for ``viewer``: nearest unseen to their taste, then popular recent ones."""
    return _recommend("post", viewer=viewer, page=page, page_size=page_size)


def product_recommendation_page(
    *, viewer: Viewer, page: int = 1, page_size: int = 20
) -> tuple[list[Recommendation], int, bool, bool]:
    """Products for ``viewer``, one page: (items, count, personal?, dense?).

    Nearest unseen products to the viewer's taste (posts and products share one embedding
    space, so post likes count too), not their own, then popular products. Visitors and users
    without history get popular products (``personal`` False); a vector store that is down
    gives popular products too (``dense`` False).
    """
    return _recommend("product", viewer=viewer, page=page, page_size=page_size)


def product_recommendations(*, viewer: Viewer, limit: int = 20) -> list[Recommendation]:
    """Products for ``viewer`` (taste from posts and products alike: one embedding space).

    Each item has ``.obj`` (a Product with owner, owner.profile_image and product_images
    prefetched), ``.score`` and ``.reason`` ({"kind": "liked"|"commented"|"dwelled"|"popular",
    "item": {"kind", "uuid", "title"} or None}).
    """
    items, _, _, _ = _recommend("product", viewer=viewer, page=1, page_size=limit)
    return items
