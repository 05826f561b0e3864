"""Keeping the search index in sync, and recording viewing events.

Other apps call the ``*_changed`` functions after a write (they enqueue background jobs, so
nothing slow runs on the request path; with the thread and database backends the job runs after
the commit):

    post_changed(post_id=...)        after create, edit, publish/unpublish, hide/unhide
    post_deleted(post_id=...)        after delete (the row is gone: only the id is needed)
    product_changed(product_id=...)  after create, edit, hide/unhide
    product_deleted(product_id=...)  after delete
    user_changed(user_id=...)        after suspension, unsuspension, deactivation
    user_deleted(user_id=...)        after account deletion (call with the id read before)

The jobs (``index_post``, ``index_product``, ``unindex``, ``reindex_user_content``) are
idempotent: each reads the current row and makes the index agree with it, so a late, repeated or
out-of-order job still ends right. Search also re-checks visibility in the database at query time,
so a late job never exposes a draft, hidden, deleted or blocked item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from tangerine.core.tasks import task
from tangerine.core.viewers import VIEW_WINDOW_SECONDS, view_dedup_key
from tangerine.integrations import embeddings, milvus
from tangerine.posts.models import Post
from tangerine.products.models import Product
from tangerine.search import keyword
from tangerine.search.models import Event, SearchDocument, SearchPosting

logger = logging.getLogger(__name__)


def post_text(post: Post, tags: list[str]) -> tuple[str, str, list[str]]:
    return post.title, post.text, [f"#{t}" for t in tags]


def _embed_text(title: str, body: str, extra: list[str]) -> str:
    return "\n".join(part for part in (title, body, " ".join(extra)) if part)


def _post_visible(post: Post) -> bool:
    author = post.author
    return (
        post.status == Post.Status.PUBLISHED
        and post.hidden_at is None
        and author.is_active
        and author.suspended_at is None
    )


def _product_visible(product: Product) -> bool:
    owner = product.owner
    return product.hidden_at is None and owner.is_active and owner.suspended_at is None


@dataclass(frozen=True)
class _Doc:
    kind: str
    object_id: int
    owner_id: int
    visible: bool
    title: str
    body: str
    extra: list[str]


def _post_doc(post: Post) -> _Doc:
    tags = [t.name for t in post.tags.all()]
    return _Doc("post", post.pk, post.author_id, _post_visible(post), post.title, post.text, tags)


def _product_doc(product: Product) -> _Doc:
    return _Doc(
        "product",
        product.pk,
        product.owner_id,
        _product_visible(product),
        product.name,
        product.description,
        [],
    )


def _index_docs(docs: list[_Doc]) -> None:
    """Write keyword postings for visible docs (remove invisible ones), then the vectors."""
    visible = [d for d in docs if d.visible]
    hidden = [d for d in docs if not d.visible]
    with transaction.atomic():
        for doc in visible:
            terms = keyword.document_terms(doc.title, doc.body, doc.extra)
            keyword.index_document(
                kind=doc.kind, object_id=doc.object_id, owner_id=doc.owner_id, terms=terms
            )
        for doc in hidden:
            keyword.remove_document(kind=doc.kind, object_id=doc.object_id)
    try:
        if visible:
            vectors = embeddings.embed_passages(
                [_embed_text(d.title, d.body, d.extra) for d in visible]
            )
            milvus.upsert(
                [
                    milvus.VectorItem(d.kind, d.object_id, d.owner_id, True, v)
                    for d, v in zip(visible, vectors, strict=True)
                ],
                flush=False,
            )
        if hidden:
            milvus.delete([(d.kind, d.object_id) for d in hidden], flush=False)
        milvus.flush()
    except milvus.VectorStoreError:
        logger.warning("Vector store down: %d items indexed keyword-only", len(visible))
        return
    for doc in visible:
        SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id).update(
            dense_synced=True
        )


def _unindex(kind: str, object_ids: list[int]) -> None:
    with transaction.atomic():
        SearchPosting.objects.filter(kind=kind, object_id__in=object_ids).delete()
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).delete()
    keyword.forget_corpus_stats()
    try:
        milvus.delete([(kind, i) for i in object_ids])
    except milvus.VectorStoreError:
        # The database check at query time hides the item; `reindex` removes the stale vector.
        logger.warning("Vector store down: %s %s left in the vector index", kind, object_ids)


@task
def index_post(*, post_id: int) -> None:
    """Make the index agree with post ``post_id`` (indexed if visible, removed otherwise)."""
    post = Post.objects.select_related("author").prefetch_related("tags").filter(pk=post_id)
    found = post.first()
    if found is None:
        _unindex("post", [post_id])
    else:
        _index_docs([_post_doc(found)])


@task
def index_product(*, product_id: int) -> None:
    """Make the index agree with product ``product_id``."""
    found = Product.objects.select_related("owner").filter(pk=product_id).first()
    if found is None:
        _unindex("product", [product_id])
    else:
        _index_docs([_product_doc(found)])


@task
def unindex(*, kind: str, object_id: int) -> None:
    """Remove one item from the index (after its row was deleted)."""
    _unindex(kind, [object_id])
    Event.objects.filter(kind=kind, object_id=object_id).delete()


@task
def reindex_user_content(*, user_id: int) -> None:
    """Re-index every post and product of a user (suspension, deactivation, deletion)."""
    posts = list(
        Post.objects.select_related("author").prefetch_related("tags").filter(author_id=user_id)
    )
    products = list(Product.objects.select_related("owner").filter(owner_id=user_id))
    docs = [_post_doc(p) for p in posts] + [_product_doc(p) for p in products]
    if docs:
        _index_docs(docs)
    # Whatever the index holds for this user but the database no longer has (deleted account).
    for kind, existing in (("post", {p.pk for p in posts}), ("product", {p.pk for p in products})):
        stale = set(
            SearchDocument.objects.filter(kind=kind, owner_id=user_id).values_list(
                "object_id", flat=True
            )
        )
        stale -= existing
        if stale:
            _unindex(kind, sorted(stale))
    if not docs:
        try:
            milvus.delete_owner(owner_id=user_id)
        except milvus.VectorStoreError:
            logger.warning("Vector store down: vectors of user %s left behind", user_id)


# --- calls for other apps (after commit) -------------------------------------------------------


# Each only enqueues a job; with SEARCH_INDEX_SYNC off (tests of other apps) they do nothing and
# `manage.py reindex` catches the index up later.


def post_changed(*, post_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        index_post.enqueue(post_id=post_id)


def post_deleted(*, post_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        unindex.enqueue(kind="post", object_id=post_id)


def product_changed(*, product_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        index_product.enqueue(product_id=product_id)


def product_deleted(*, product_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        unindex.enqueue(kind="product", object_id=product_id)


def user_changed(*, user_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        reindex_user_content.enqueue(user_id=user_id)


def user_deleted(*, user_id: int) -> None:
    if settings.SEARCH_INDEX_SYNC:
        reindex_user_content.enqueue(user_id=user_id)


# --- whole rebuild ----------------------------------------------------------------------------


def reindex_all(*, batch_size: int = 64, only_missing: bool = False, progress: Any = None) -> int:
    """Rebuild the index from the database; returns how many items were (re)indexed."""
    done = 0
    post_qs = Post.objects.select_related("author").prefetch_related("tags").order_by("pk")
    product_qs = Product.objects.select_related("owner").order_by("pk")
    if only_missing:
        synced_posts = SearchDocument.objects.filter(kind="post", dense_synced=True)
        synced_products = SearchDocument.objects.filter(kind="product", dense_synced=True)
        post_qs = post_qs.exclude(pk__in=synced_posts.values("object_id"))
        product_qs = product_qs.exclude(pk__in=synced_products.values("object_id"))
    else:
        existing_posts = set(Post.objects.values_list("pk", flat=True))
        existing_products = set(Product.objects.values_list("pk", flat=True))
        for kind, existing in (("post", existing_posts), ("product", existing_products)):
            stale = set(
                SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True)
            )
            if stale - existing:
                _unindex(kind, sorted(stale - existing))
    sources: list[tuple[Any, Callable[[Any], _Doc]]] = [
        (post_qs, _post_doc),
        (product_qs, _product_doc),
    ]
    for qs, make in sources:
        batch: list[_Doc] = []
        for row in qs.iterator(chunk_size=batch_size):
            batch.append(make(row))
            if len(batch) >= batch_size:
                _index_docs(batch)
                done += len(batch)
                if progress is not None:
                    progress.update(len(batch))
                batch = []
        if batch:
            _index_docs(batch)
            done += len(batch)
            if progress is not None:
                progress.update(len(batch))
    return done


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventIn:
    kind: str
    object_id: int
    dwell_ms: int


def events_record(*, events: list[EventIn], user: Any, viewer_key: str) -> int:
    """Store viewing events and count at most one view per viewer, item and hour.

    The dedup key ``view:<kind>:<id>:<viewer>`` lives in the cache; a counted view is an ``F()``
    increment of the item's ``view_count``. Returns how many views were counted.
    """
    author = user if user is not None and user.is_authenticated else None
    Event.objects.bulk_create(
        Event(
            user=author,
            viewer_key=viewer_key,
            kind=e.kind,
            object_id=e.object_id,
            dwell_ms=e.dwell_ms,
        )
        for e in events
    )
    new_views: dict[str, list[int]] = {"post": [], "product": []}
    for kind, object_id in dict.fromkeys((e.kind, e.object_id) for e in events):
        if cache.add(
            view_dedup_key(kind=kind, object_id=object_id, viewer=viewer_key),
            1,
            timeout=VIEW_WINDOW_SECONDS,
        ):
            new_views[kind].append(object_id)
    # Each item gains at most one view here, so one UPDATE per kind serves the whole batch.
    for kind, ids in new_views.items():
        if ids:
            model = Post if kind == "post" else Product
            model.objects.filter(pk__in=ids).update(view_count=F("view_count") + 1)
    return sum(len(ids) for ids in new_views.values())
