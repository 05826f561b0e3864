"""Items similar to one post or product ("similar products" on a product page).

Nearest neighbours of the item's own vector among visible items of the same kind. When the
vector store is down or the item has no vector yet, its own keyword terms are searched with BM25
instead (``degraded``). Either list is followed by the owner's other items, so a product page
always has something to show; every id passes the database visibility check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from tangerine.accounts.auth import Viewer
from tangerine.images.selectors import parse_uuid
from tangerine.integrations import embeddings, milvus
from tangerine.search import keyword
from tangerine.search.models import SearchPosting
from tangerine.search.selectors.common import item_cards, visible_items

SIMILAR_MAX = 50
# Query terms taken from the item for the keyword fallback (highest tf first).
FALLBACK_TERMS = 32


@dataclass
class SimilarItem:
    obj: Any
    score: float
    match: str  # "dense" | "keyword" | "same_owner"


@dataclass
class SimilarPage:
    items: list[SimilarItem]
    count: int
    degraded: bool


def _owner_field(kind: str) -> str:
    return "author_id" if kind == "post" else "owner_id"


def _dense_neighbours(kind: str, object_id: int) -> list[tuple[int, float]] | None:
    """(id, cosine) nearest first; None when the store is down or the item has no vector."""
    try:
        vector = milvus.get_vectors([(kind, object_id)]).get((kind, object_id))
        if vector is None:
            return None
        hits = milvus.search(
            vector, kind=kind, limit=SIMILAR_MAX + 1, exclude_object_ids=[object_id]
        )
    except milvus.VectorStoreError:
        return None
    floor = embeddings.get_embedder().min_score
    return [(h.object_id, h.score) for h in hits if h.score >= floor and h.object_id != object_id]


def _keyword_neighbours(kind: str, obj: Any) -> list[tuple[int, float]]:
    """BM25 with the item's own terms as the query; scores divided by the best one."""
    terms = list(
        SearchPosting.objects.filter(kind=kind, object_id=obj.pk)
        .order_by("-tf", "term")
        .values_list("term", flat=True)[:FALLBACK_TERMS]
    )
    if not terms:  # not in the keyword index yet: tokenise it now (Kiwi)
        from tangerine.search.selectors.query import item_text

        counts = keyword.document_terms(*item_text(kind, obj))
        terms = [t for t, _ in counts.most_common(FALLBACK_TERMS)]
    ranked = [
        (i, s)
        for i, s in keyword.bm25(kind=kind, terms=terms, limit=SIMILAR_MAX + 1)
        if i != obj.pk
    ]
    top = max((s for _, s in ranked), default=0.0)
    return [(i, s / top) for i, s in ranked] if top > 0 else []


def similar_items(
    *, kind: str, viewer: Viewer, uuid: Any, page: int, page_size: int
) -> SimilarPage:
    """A page of items like the visible ``kind`` item ``uuid`` (404 if unknown or invisible)."""
    target = visible_items(kind, viewer).filter(uuid=parse_uuid(uuid)).first()
    if target is None:
        raise Http404
    owner_id = getattr(target, _owner_field(kind))
    ranked = _dense_neighbours(kind, target.pk)
    degraded = ranked is None
    match = "dense"
    if ranked is None:
        ranked, match = _keyword_neighbours(kind, target), "keyword"
    base = visible_items(kind, viewer)
    allowed = set(base.filter(pk__in=[i for i, _ in ranked]).values_list("pk", flat=True))
    scored: list[tuple[int, float, str]] = [(i, s, match) for i, s in ranked if i in allowed]
    scored = scored[:SIMILAR_MAX]
    if len(scored) < SIMILAR_MAX:
        taken = {i for i, _, _ in scored} | {target.pk}
        more = (
            base.filter(**{_owner_field(kind): owner_id})
            .exclude(pk__in=taken)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[: SIMILAR_MAX - len(scored)]
        )
        scored += [(i, 0.0, "same_owner") for i in more]
    window = scored[(page - 1) * page_size : page * page_size]
    rows = {o.pk: o for o in item_cards(kind, viewer).filter(pk__in=[i for i, _, _ in window])}
    items = [
        SimilarItem(obj=rows[i], score=round(s, 4), match=m) for i, s, m in window if i in rows
    ]
    return SimilarPage(items=items, count=len(scored), degraded=degraded)
