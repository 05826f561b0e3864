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

No item is silently left without a vector (docs/search.md, "Never losing an item"):

    missing_vector_count(max_age=...)  visible items without a vector (health, search's degraded)
    sweep_missing_vectors()            index them (the background repair in ``search.sweep``)
    index_complete_or_raise()          sweep until none is missing, or raise (seed_demo)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, QuerySet

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


def _visible_posts() -> QuerySet[Post]:
    """``_post_visible`` as a query: the posts that belong in the index."""
    return Post.objects.filter(
        status=Post.Status.PUBLISHED,
        hidden_at__isnull=True,
        author__is_active=True,
        author__suspended_at__isnull=True,
    )


def _visible_products() -> QuerySet[Product]:
    return Product.objects.filter(
        hidden_at__isnull=True, owner__is_active=True, owner__suspended_at__isnull=True
    )


def _index_docs(docs: list[_Doc]) -> None:
    """Write keyword postings for visible docs (remove invisible ones), then the vectors.

    A visible doc is recorded as pending (``dense_synced=False``) in the same transaction as its
    postings and as synced only once its vector is written and read back, so whatever goes wrong
    in between (store down, a failed write, a crash, a lost job) leaves it for the sweep
    (``sweep_missing_vectors``), which a failure here also sets off (``search.sweep``).
    """
    if not docs:
        return
    try:
        _write_docs(docs)
    finally:
        _forget_missing_count()


def _write_docs(docs: list[_Doc]) -> None:
    visible = [d for d in docs if d.visible]
    hidden = [d for d in docs if not d.visible]
    # Tokenising (Kiwi: seconds on first use) happens before the transaction: on SQLite a write
    # transaction holds the database-wide lock, and every like or post would wait on it.
    terms_of = {id(doc): keyword.document_terms(doc.title, doc.body, doc.extra) for doc in visible}
    with transaction.atomic():
        for doc in visible:
            keyword.index_document(
                kind=doc.kind,
                object_id=doc.object_id,
                owner_id=doc.owner_id,
                terms=terms_of[id(doc)],
            )
        for doc in hidden:
            keyword.remove_document(kind=doc.kind, object_id=doc.object_id)
        stamps = _pending(visible)
    vectors: Any = []
    try:
        if visible:
            vectors = embeddings.embed_passages(
                [_embed_text(d.title, d.body, d.extra) for d in visible]
            )
    except Exception:
        _vectors_missing()
        raise
    items = [
        milvus.VectorItem(d.kind, d.object_id, d.owner_id, True, v)
        for d, v in zip(visible, vectors, strict=True)
    ]
    try:
        # The write and its record under one lock: the last writer of an item records last.
        with milvus.write_lock():
            milvus.write(upsert=items, delete=[(d.kind, d.object_id) for d in hidden])
            _record_synced(visible, stamps)
    except milvus.VectorStoreError as exc:
        logger.warning("Vector write failed, %d items left for the sweep: %s", len(visible), exc)
        _vectors_missing()


def _pending(visible: list[_Doc]) -> dict[tuple[str, int], Any]:
    """Mark docs as waiting for their vector; returns each one's ``indexed_at`` (this write)."""
    stamps: dict[tuple[str, int], Any] = {}
    for kind in {d.kind for d in visible}:
        rows = SearchDocument.objects.filter(
            kind=kind, object_id__in=[d.object_id for d in visible if d.kind == kind]
        )
        rows.update(dense_synced=False)
        for object_id, stamp in rows.values_list("object_id", "indexed_at"):
            stamps[(kind, object_id)] = stamp
    return stamps


def _record_synced(visible: list[_Doc], stamps: dict[tuple[str, int], Any]) -> None:
    """After a vector write (under the write lock): record what the store now holds.

    - the row is still the one this job wrote: synced;
    - another job re-indexed the row since: synced if the item still reads as what we embedded,
      else pending (our vector may hold older text and have landed after that job's);
    - the row is gone (hidden, deleted): delete the vector again, since ours may have landed
      after that job's delete.
    """
    if not visible:
        return
    current: dict[tuple[str, int], tuple[int, Any]] = {}
    for kind in {d.kind for d in visible}:
        ids = [d.object_id for d in visible if d.kind == kind]
        rows = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
        for pk, object_id, stamp in rows.values_list("pk", "object_id", "indexed_at"):
            current[(kind, object_id)] = (pk, stamp)
    synced, superseded, gone = [], [], []
    for doc in visible:
        key = (doc.kind, doc.object_id)
        if key not in current:
            gone.append(key)
        elif current[key][1] == stamps.get(key):
            synced.append(current[key][0])
        else:
            superseded.append(doc)
    if superseded:
        now = {(d.kind, d.object_id): d for d in _load_docs(superseded)}
        stale = []
        for doc in superseded:
            key = (doc.kind, doc.object_id)
            if _same(now.get(key), doc):  # same text, owner and visibility: our vector is right
                synced.append(current[key][0])
            else:
                stale.append(current[key][0])
        if stale:
            SearchDocument.objects.filter(pk__in=stale).update(dense_synced=False)
            _vectors_missing()
    if synced:
        SearchDocument.objects.filter(pk__in=synced).update(dense_synced=True)
    if gone:
        milvus.write(delete=gone)


def _same(a: _Doc | None, b: _Doc) -> bool:
    return a is not None and (a.owner_id, a.visible, a.title, a.body, sorted(a.extra)) == (
        b.owner_id,
        b.visible,
        b.title,
        b.body,
        sorted(b.extra),
    )


def _load_docs(docs: list[_Doc]) -> list[_Doc]:
    """The current ``_Doc`` of each item that still exists."""
    post_ids = [d.object_id for d in docs if d.kind == "post"]
    product_ids = [d.object_id for d in docs if d.kind == "product"]
    posts = Post.objects.select_related("author").prefetch_related("tags").filter(pk__in=post_ids)
    products = Product.objects.select_related("owner").filter(pk__in=product_ids)
    return [_post_doc(p) for p in posts] + [_product_doc(p) for p in products]


def _vectors_missing() -> None:
    """Some items could not get their vector: have the sweep run when the store is back."""
    from tangerine.search import sweep  # sweep imports this module

    sweep.request_repair()


def _unindex(kind: str, object_ids: list[int]) -> None:
    with transaction.atomic():
        SearchPosting.objects.filter(kind=kind, object_id__in=object_ids).delete()
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).delete()
    keyword.forget_corpus_stats()
    _forget_missing_count()
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
        return sweep_missing_vectors(batch_size=batch_size, progress=progress).indexed
    existing_posts = set(Post.objects.values_list("pk", flat=True))
    existing_products = set(Product.objects.values_list("pk", flat=True))
    for kind, existing in (("post", existing_posts), ("product", existing_products)):
        stale = set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))
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


# --- items without a vector: count, sweep, completeness ---------------------------------------


def _missing_querysets() -> list[tuple[str, QuerySet[Any], Callable[[Any], _Doc]]]:
    """Per kind: the visible items whose vector is not recorded as written."""
    result: list[tuple[str, QuerySet[Any], Callable[[Any], _Doc]]] = []
    for kind, visible, make in (
        ("post", _visible_posts(), _post_doc),
        ("product", _visible_products(), _product_doc),
    ):
        synced = SearchDocument.objects.filter(kind=kind, dense_synced=True).values("object_id")
        result.append((kind, visible.exclude(pk__in=synced), make))
    return result


# Search asks on every request, and counting joins every item with its index row (about 15 ms at
# 10k items and 200 ms at 100k on PostgreSQL here): with ``max_age`` a process answers from its
# last count and refreshes a stale one in a background thread, so no request waits for it.
_missing_cache: dict[str, tuple[float, int]] = {}
_refreshing: set[str] = set()
_refresh_lock = threading.Lock()


def _count_missing() -> int:
    return sum(qs.count() for _, qs, _ in _missing_querysets())


def _forget_missing_count() -> None:
    """Vectors were written: the remembered counts are stale (refreshed on their next use)."""
    for alias, (_, count) in list(_missing_cache.items()):
        _missing_cache[alias] = (0.0, count)


def clear_missing_count() -> None:
    """Forget the remembered counts entirely (tests: each test has its own rows)."""
    _missing_cache.clear()


def _refresh_missing_count(alias: str) -> None:
    if settings.TASKS_BACKEND == "immediate":  # tests: no thread, no connection of its own
        _missing_cache[alias] = (time.monotonic(), _count_missing())
        return
    with _refresh_lock:
        if alias in _refreshing:
            return
        _refreshing.add(alias)

    def run() -> None:
        try:
            _missing_cache[alias] = (time.monotonic(), _count_missing())
        except Exception:
            logger.exception("Counting items without vectors failed")
        finally:
            connection.close()
            with _refresh_lock:
                _refreshing.discard(alias)

    threading.Thread(target=run, name="search-missing-count", daemon=True).start()


def missing_vector_count(*, max_age: float = 0.0, repair: bool = True) -> int:
    """How many visible posts and products have no vector in the store (yet).

    Counts items whose index job has not run, failed, or ran while the store was down, and
    items whose vector may be older than their text. With ``max_age`` > 0 (search, health) the
    process answers from its last count at once and, when that is older than ``max_age``
    seconds or vectors were written since, refreshes it in the background; only the first call
    of a process counts in place. When any are missing and ``repair`` is on, the background
    repair (``search.sweep``) is asked to run.
    """
    key = connection.alias
    cached = _missing_cache.get(key)
    now = time.monotonic()
    if max_age > 0 and cached is not None:
        if now - cached[0] >= max_age:
            _refresh_missing_count(key)
        count = _missing_cache[key][1]
    else:
        count = _count_missing()
        _missing_cache[key] = (now, count)
    if count and repair:
        _vectors_missing()
    return count


@dataclass(frozen=True)
class SweepResult:
    indexed: int  # items (re)indexed by this sweep
    missing: int  # items still without a vector afterwards


def sweep_missing_vectors(*, batch_size: int = 64, progress: Any = None) -> SweepResult:
    """Index every visible item that lacks a vector; stops early while the store is down."""
    done = 0
    for _kind, qs, make in _missing_querysets():
        if not milvus.available():
            break
        related = ("author",) if make is _post_doc else ("owner",)
        qs = qs.select_related(*related).order_by("pk")
        if make is _post_doc:
            qs = qs.prefetch_related("tags")
        last = 0
        while milvus.available():
            batch = list(qs.filter(pk__gt=last)[:batch_size])
            if not batch:
                break
            last = batch[-1].pk
            _index_docs([make(row) for row in batch])
            done += len(batch)
            if progress is not None:
                progress.update(len(batch))
    missing = _count_missing()
    _missing_cache[connection.alias] = (time.monotonic(), missing)
    if done or missing:
        logger.info("Vector sweep: %d items indexed, %d still without a vector", done, missing)
    return SweepResult(indexed=done, missing=missing)


class IndexIncompleteError(RuntimeError):
    """Items still lack vectors after ``index_complete_or_raise`` gave up."""


def index_complete_or_raise(*, timeout: float = 60.0, batch_size: int = 64) -> int:
    """Sweep until every visible item has its vector; returns how many items the sweeps indexed.

    For ``seed_demo`` and deploy scripts: waits out a store that is briefly down (retrying for
    ``timeout`` seconds), then raises ``IndexIncompleteError`` saying how many items lack a
    vector, instead of leaving a half-built index behind quietly.
    """
    deadline = time.monotonic() + timeout
    indexed = 0
    while True:
        result = sweep_missing_vectors(batch_size=batch_size)
        indexed += result.indexed
        if result.missing == 0:
            return indexed
        if time.monotonic() >= deadline:
            state = "reachable" if milvus.available() else "unreachable"
            raise IndexIncompleteError(
                f"{result.missing} items still have no vector after {timeout:.0f} s "
                f"(vector store {state}; see the log for the errors)"
            )
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


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
