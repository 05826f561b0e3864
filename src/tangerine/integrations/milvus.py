"""A thin typed client for the vector store (Milvus Lite file or a Milvus server).

``settings.MILVUS_URI`` is a file path (Milvus Lite, the default) or ``http://host:19530``. Only
ONE process can open a Lite file (``DataDirLockedError``): when several server processes or a
separate worker share the index, run ``milvus-lite server`` (or a real Milvus) and point every
process at it over ``http://``.

The client connects on first use, never at import or app start. Every call raises
``VectorStoreError`` on failure. Only a connection failure (``VectorStoreUnavailableError``:
refused, server gone, timeout) marks the store down: it is then skipped for
``MILVUS_RETRY_SECONDS`` so that search answers keyword-only at once instead of waiting on a
dead server with every request.
Error handling never stops the Milvus Lite server: it is shared by every thread of the process.

Writes (``write``, ``upsert``, ``delete``, ``flush``, ``set_visible``, ``delete_owner``) are
serialised in the process by one lock and retried as a whole unit (see ``write``).

One collection holds every kind of item::

    id        VARCHAR  "post:12" / "product:7" (primary key)
    kind      VARCHAR  "post" / "product"
    object_id INT64    the row's database id
    owner_id  INT64    author or owner (to exclude one's own items, blocked users)
    visible   BOOL     published, not hidden, owner active (the database re-checks at query time)
    vector    FLOAT_VECTOR(384), HNSW, cosine
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from tangerine.integrations.vector_mirror import Mirror, Row

logger = logging.getLogger(__name__)

DIM = 384
VECTOR_FIELD = "vector"


class VectorStoreError(Exception):
    """The vector store could not be reached or answered with an error."""


@dataclass(frozen=True)
class VectorItem:
    kind: str
    object_id: int
    owner_id: int
    visible: bool
    vector: np.ndarray


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float
    vector: np.ndarray | None = None


def item_key(kind: str, object_id: int) -> str:
    return f"{kind}:{int(object_id)}"


class VectorStoreUnavailableError(VectorStoreError):
    """The store could not be reached (connection refused, server gone, timeout).

    Only this marks the store down for ``MILVUS_RETRY_SECONDS``; any other failure (a write the
    server rejected, a flush that lost a race) is the call's own problem and is retried or
    reported without making every other caller skip the store.
    """


class _State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.client: Any = None
        self.uri: str | None = None
        self.collection: str | None = None
        self.down_until = 0.0


_state = _State()

# The in-process copy searches read when this process is the only writer (vector_mirror.py).
_mirror = Mirror(DIM)

# Every write (upsert, delete, flush) of this process goes through this lock. Milvus Lite 3.2.2
# freezes its write buffer outside its own lock on flush, so two threads writing and flushing at
# once can commit out of order ("current_seq is monotonic; tried to set 1 < 2") and drop the
# rows of the failed flush. Searches do not take it.
_write_lock = threading.RLock()

# A write unit (upserts + deletes + flush) is tried this many times before its error is raised;
# a retry re-sends the whole unit, since a failed Lite flush may have dropped its rows.
WRITE_ATTEMPTS = 4
_RETRY_PAUSE = 0.05

_CONNECTION_MARKERS = (
    "fail connecting",
    "server unavailable",
    "connection refused",
    "failed to connect",
    "deadline exceeded",
    "datadirlocked",
    "socket closed",
)


def _is_connection_error(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the store cannot be reached, as opposed to an
    error of this one call."""
    import grpc

    down_codes = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionError | TimeoutError):
            return True
        if isinstance(current, grpc.RpcError) and getattr(current, "code", None):
            try:
                if current.code() in down_codes:
                    return True
            except Exception:  # an RpcError that is not a Call has no usable code()
                logger.debug("grpc error without a code", exc_info=True)
        code = getattr(current, "code", None)
        if code in down_codes or code == 2:  # pymilvus Status.CONNECT_FAILED
            return True
        if type(current).__name__ in {"ConnectError", "MilvusUnavailableException"}:
            return True
        text = str(current).lower()
        if any(marker in text for marker in _CONNECTION_MARKERS):
            return True
        current = current.__cause__ or current.__context__
    return False


def _connect() -> Any:
    """The client for the configured URI, connected (and the collection made) on first use."""
    uri = settings.MILVUS_URI
    collection = settings.MILVUS_COLLECTION
    if _state.client is not None and _state.uri == uri and _state.collection == collection:
        return _state.client
    _forget_client()
    if time.monotonic() < _state.down_until:
        raise VectorStoreUnavailableError("vector store recently failed; retrying later")
    MilvusClient = _import_client()  # noqa: N806
    kwargs: dict[str, Any] = {"uri": uri, "timeout": settings.MILVUS_TIMEOUT}
    if settings.MILVUS_TOKEN:
        kwargs["token"] = settings.MILVUS_TOKEN
    client = MilvusClient(**kwargs)
    if not client.has_collection(collection):
        _create_collection(client, collection)
    client.load_collection(collection)
    _state.client, _state.uri, _state.collection = client, uri, collection
    return client


def _import_client() -> Any:
    """pymilvus, imported without its own reading of ``MILVUS_URI``.

    pymilvus parses the ``MILVUS_URI`` environment variable at import and refuses a file path,
    which is exactly what our setting of the same name holds for Milvus Lite.
    """
    raw = os.environ.get("MILVUS_URI")
    if raw is not None and "://" not in raw:
        del os.environ["MILVUS_URI"]
        try:
            from pymilvus import MilvusClient
        finally:
            os.environ["MILVUS_URI"] = raw
    else:
        from pymilvus import MilvusClient
    return MilvusClient


def _create_collection(client: Any, name: str) -> None:
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=48)
    schema.add_field("kind", DataType.VARCHAR, max_length=16)
    schema.add_field("object_id", DataType.INT64)
    schema.add_field("owner_id", DataType.INT64)
    schema.add_field("visible", DataType.BOOL)
    schema.add_field(VECTOR_FIELD, DataType.FLOAT_VECTOR, dim=DIM)
    index = client.prepare_index_params()
    hnsw = {"M": 16, "efConstruction": 200}
    index.add_index(VECTOR_FIELD, index_type="HNSW", metric_type="COSINE", params=hnsw)
    client.create_collection(name, schema=schema, index_params=index)


def _client() -> Any:
    if time.monotonic() < _state.down_until:
        raise VectorStoreUnavailableError("vector store recently failed; retrying later")
    with _state.lock:
        try:
            return _connect()
        except VectorStoreError:
            raise
        except Exception as exc:  # whatever stops us connecting means the store is down
            _mark_down(exc)
            raise VectorStoreUnavailableError(str(exc)) from exc


def _call(fn_name: str, *args: Any, **kwargs: Any) -> Any:
    """Run one client call; only a connection failure marks the store down for a while."""
    client = _client()
    try:
        # The call itself runs outside the state lock: the gRPC client is thread-safe.
        return getattr(client, fn_name)(*args, **kwargs)
    except Exception as exc:
        if _is_connection_error(exc):
            _mark_down(exc, client)
            raise VectorStoreUnavailableError(str(exc)) from exc
        logger.warning("Vector store call %s failed: %s", fn_name, exc)
        raise VectorStoreError(str(exc)) from exc


def _mark_down(exc: BaseException, client: Any = None) -> None:
    """Skip the store for ``MILVUS_RETRY_SECONDS`` and drop our (broken) client.

    Never stops a Milvus Lite server: it is shared by every thread of the process, and the next
    connection after the pause reuses it or starts it again.
    """
    logger.warning(
        "Vector store unreachable, skipped for %ss: %s", settings.MILVUS_RETRY_SECONDS, exc
    )
    _state.down_until = time.monotonic() + settings.MILVUS_RETRY_SECONDS
    with _state.lock:
        if client is None or _state.client is client:
            _forget_client()


def _forget_client() -> None:
    """Drop this module's client without stopping a shared Milvus Lite server."""
    with _state.lock:
        client, _state.client = _state.client, None
        _state.uri, _state.collection = None, None
    if client is not None:
        try:
            client.close()
        except Exception:  # closing a broken client must not hide the real error
            logger.debug("closing the vector store client failed", exc_info=True)


def close() -> None:
    """Drop the connection and stop this process's Milvus Lite server for the file.

    For tests and for a process that is done with the store; waits for a write in progress, so
    a write is never cut in half. Error handling never calls this.
    """
    with _write_lock, _state.lock:
        uri = _state.uri
        _forget_client()
        _mirror.clear()
        if uri and "://" not in uri:
            # Milvus Lite serves the file from threads in this process until told to stop.
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(uri)


def reset() -> None:
    """Close and forget a recent failure (tests, or an operator after fixing the server)."""
    close()
    _state.down_until = 0.0


def _mirror_row(item: VectorItem) -> Row:
    return Row(item.kind, int(item.object_id), int(item.owner_id), bool(item.visible), item.vector)


def mirror_enabled() -> bool:
    """Whether searches read the in-process copy (``SEARCH_VECTOR_MIRROR``; vector_mirror.py)."""
    mode = settings.SEARCH_VECTOR_MIRROR
    if mode == "auto":
        return "://" not in settings.MILVUS_URI  # a Lite file: this process is the only writer
    return mode == "on"


def _mirror_ready() -> bool:
    """True when the copy is loaded; otherwise start loading it in the background and answer
    False (this search asks Milvus): no request waits for a load."""
    if not mirror_enabled():
        return False
    if _mirror.loaded and _mirror.source == _source():
        return True
    if _mirror.loaded:  # loaded from another file or collection (settings changed)
        _mirror.clear()
    mirror_load_in_background()
    return False


def _source() -> tuple[str, str]:
    return settings.MILVUS_URI, settings.MILVUS_COLLECTION


_mirror_loader: threading.Thread | None = None


def mirror_load_in_background() -> None:
    """Load the in-process copy on a daemon thread unless loaded or loading (start-up calls
    this with ``SEARCH_WARM_AT_START``)."""
    global _mirror_loader  # one loader per process at a time
    if not mirror_enabled() or _mirror.loaded:
        return
    with _state.lock:
        if _mirror_loader is not None and _mirror_loader.is_alive():
            return

        def load() -> None:
            try:
                mirror_load()
            except VectorStoreError as exc:
                logger.warning("Could not load the vector copy; searching Milvus: %s", exc)

        _mirror_loader = threading.Thread(target=load, name="vector-mirror-load", daemon=True)
        _mirror_loader.start()


def mirror_status() -> dict[str, object]:
    """Whether searches can read the in-process copy (readiness probe): ``enabled``,
    ``loaded`` (from the configured store), ``loading`` and the number of ``rows``."""
    loader = _mirror_loader
    return {
        "enabled": mirror_enabled(),
        "loaded": _mirror.loaded and _mirror.source == _source(),
        "loading": loader is not None and loader.is_alive(),
        "rows": _mirror.count() if _mirror.loaded else 0,
    }


def mirror_load() -> int:
    """Read every row into the in-process copy (holding the write lock, so no write slips
    between the snapshot and the copy); returns the number of rows."""
    with _write_lock:
        if _mirror.loaded and _mirror.source == _source():
            return _mirror.count()
        client = _client()
        rows: list[Row] = []
        try:
            iterator = client.query_iterator(
                settings.MILVUS_COLLECTION,
                batch_size=2000,
                filter="",
                output_fields=["kind", "object_id", "owner_id", "visible", VECTOR_FIELD],
            )
            try:
                while batch := iterator.next():
                    rows += [
                        Row(
                            str(r["kind"]),
                            int(r["object_id"]),
                            int(r["owner_id"]),
                            bool(r["visible"]),
                            np.asarray(r[VECTOR_FIELD], dtype=np.float32),
                        )
                        for r in batch
                    ]
            finally:
                iterator.close()
        except Exception as exc:
            if _is_connection_error(exc):
                _mark_down(exc, client)
                raise VectorStoreUnavailableError(str(exc)) from exc
            raise VectorStoreError(str(exc)) from exc
        _mirror.replace_all(rows, source=_source())
        logger.info("Loaded %d vectors into the in-process copy", len(rows))
        return len(rows)


def available() -> bool:
    return time.monotonic() >= _state.down_until


def _rows(items: list[VectorItem]) -> list[dict[str, Any]]:
    return [
        {
            "id": item_key(i.kind, i.object_id),
            "kind": i.kind,
            "object_id": int(i.object_id),
            "owner_id": int(i.owner_id),
            "visible": bool(i.visible),
            VECTOR_FIELD: np.asarray(i.vector, dtype=np.float32).tolist(),
        }
        for i in items
    ]


@contextmanager
def write_lock() -> Iterator[None]:
    """Hold this process's vector write lock (re-entrant): writes of other threads wait.

    ``search.services`` holds it around a write and the bookkeeping that records it, so the
    last writer of an item is also the last to record it.
    """
    with _write_lock:
        yield


def write(
    *,
    upsert: list[VectorItem] | None = None,
    delete: list[tuple[str, int]] | None = None,
    delete_filter: str | None = None,
    flush: bool = True,
    verify: bool = True,
) -> None:
    """Upsert and delete items and flush, as one unit, serialised with every other write.

    A unit that fails for any reason but an unreachable store is sent again (up to
    ``WRITE_ATTEMPTS``): the writes are idempotent, and a failed Milvus Lite flush may have
    dropped the rows buffered before it. With ``verify``, the upserted keys are read back after
    the flush and a unit whose rows are not all there counts as failed. Raises
    ``VectorStoreUnavailableError`` at once when the store cannot be reached, ``VectorStoreError``
    when every attempt failed.
    """
    rows = _rows(upsert or [])
    ids = [item_key(k, i) for k, i in delete or []]
    if not rows and not ids and not delete_filter and not flush:
        return
    collection = settings.MILVUS_COLLECTION
    last: VectorStoreError | None = None
    with _write_lock:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                if rows:
                    _call("upsert", collection, rows)
                if ids:
                    _call("delete", collection, ids=ids)
                if delete_filter:
                    _call("delete", collection, filter=delete_filter)
                if flush:
                    _call("flush", collection)
                if verify and rows:
                    missing = _missing_ids([r["id"] for r in rows])
                    if missing:
                        raise VectorStoreError(f"{len(missing)} written rows not found after flush")
                _mirror.upsert([_mirror_row(item) for item in upsert or []])
                _mirror.delete(list(delete or []))
                if delete_filter:
                    _mirror.clear()  # a filter we cannot replay here: reload on next search
                return
            except VectorStoreUnavailableError:
                raise
            except VectorStoreError as exc:
                last = exc
                logger.warning(
                    "Vector write failed (attempt %d of %d): %s", attempt + 1, WRITE_ATTEMPTS, exc
                )
                time.sleep(_RETRY_PAUSE * 2**attempt)
    raise last or VectorStoreError("vector write failed")


def _missing_ids(ids: list[str]) -> set[str]:
    rows = _call("get", settings.MILVUS_COLLECTION, ids=ids, output_fields=["object_id"])
    return set(ids) - {str(r["id"]) for r in rows or []}


def upsert(items: list[VectorItem], *, flush: bool = True) -> None:
    """Insert or replace items; flush so the next search does not pay ~1 s per query."""
    if items:
        write(upsert=items, flush=flush, verify=flush)


def delete(keys: list[tuple[str, int]], *, flush: bool = True) -> None:
    if keys:
        write(delete=keys, flush=flush)


def flush() -> None:
    write(flush=True)


def set_visible(*, owner_id: int, visible: bool) -> int:
    """Flip ``visible`` on every item of one owner (suspension); returns how many changed."""
    with _write_lock:
        rows = _call(
            "query",
            settings.MILVUS_COLLECTION,
            filter=f"owner_id == {int(owner_id)}",
            output_fields=["kind", "object_id", "owner_id", VECTOR_FIELD],
            limit=16384,
        )
        items = [
            VectorItem(
                str(r["kind"]),
                int(r["object_id"]),
                int(r["owner_id"]),
                bool(visible),
                np.asarray(r[VECTOR_FIELD], dtype=np.float32),
            )
            for r in rows or []
        ]
        if items:
            write(upsert=items)
    return len(items)


def delete_owner(*, owner_id: int) -> None:
    with _write_lock:
        write(delete=_owner_keys(owner_id), flush=True)


def _owner_keys(owner_id: int) -> list[tuple[str, int]]:
    rows = _call(
        "query",
        settings.MILVUS_COLLECTION,
        filter=f"owner_id == {int(owner_id)}",
        output_fields=["kind", "object_id"],
        limit=16384,
    )
    return [(str(r["kind"]), int(r["object_id"])) for r in rows or []]


def search(
    vector: np.ndarray,
    *,
    kind: str,
    limit: int,
    exclude_owner_ids: list[int] | None = None,
    exclude_object_ids: list[int] | None = None,
    with_vectors: bool = False,
) -> list[Hit]:
    """Nearest visible items of ``kind``, best first (score: cosine similarity)."""
    if kind not in {"post", "product"}:
        raise ValueError(f"unknown kind {kind!r}")
    if _mirror_ready():
        return [
            Hit(kind=kind, object_id=object_id, score=score, vector=vec)
            for object_id, score, vec in _mirror.search(
                vector,
                kind=kind,
                limit=int(limit),
                exclude_owner_ids=exclude_owner_ids,
                exclude_object_ids=exclude_object_ids,
                with_vectors=with_vectors,
            )
        ]
    parts = [f'kind == "{kind}"', "visible == true"]
    if exclude_owner_ids:
        parts.append(f"owner_id not in {[int(i) for i in exclude_owner_ids]}")
    if exclude_object_ids:
        parts.append(f"object_id not in {[int(i) for i in exclude_object_ids]}")
    # Without vectors, ask for no fields at all: the primary key ("post:12") says everything,
    # and fetching fields costs more than the search itself in Milvus Lite.
    output = ["kind", "object_id", VECTOR_FIELD] if with_vectors else []
    result = _call(
        "search",
        settings.MILVUS_COLLECTION,
        data=[np.asarray(vector, dtype=np.float32).tolist()],
        limit=int(limit),
        filter=" and ".join(parts),
        output_fields=output,
        search_params={"metric_type": "COSINE", "params": {"ef": max(64, int(limit))}},
    )
    hits = []
    for row in result[0] if result else []:
        entity = row.get("entity", {})
        vec = entity.get(VECTOR_FIELD)
        hit_kind, _, object_id = str(row["id"]).partition(":")
        hits.append(
            Hit(
                kind=hit_kind,
                object_id=int(object_id),
                score=float(row["distance"]),
                vector=np.asarray(vec, dtype=np.float32) if vec is not None else None,
            )
        )
    return hits


def get_vectors(keys: list[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
    """Stored vectors of the given items (missing ones are left out)."""
    if not keys:
        return {}
    rows = _call(
        "get",
        settings.MILVUS_COLLECTION,
        ids=[item_key(k, i) for k, i in keys],
        output_fields=["kind", "object_id", VECTOR_FIELD],
    )
    return {
        (str(r["kind"]), int(r["object_id"])): np.asarray(r[VECTOR_FIELD], dtype=np.float32)
        for r in rows or []
    }


def count() -> int:
    rows = _call("query", settings.MILVUS_COLLECTION, filter="", output_fields=["count(*)"])
    return int(rows[0]["count(*)"]) if rows else 0


def drop_collection() -> None:
    """Remove the whole collection (``manage.py reindex --drop``); the next call makes it again."""
    with _write_lock:
        client = _client()
        name = settings.MILVUS_COLLECTION
        try:
            if client.has_collection(name):
                client.drop_collection(name)
            _mirror.clear()
        except Exception as exc:
            if _is_connection_error(exc):
                _mark_down(exc, client)
                raise VectorStoreUnavailableError(str(exc)) from exc
            raise VectorStoreError(str(exc)) from exc
        _forget_client()
