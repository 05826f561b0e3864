"""A thin typed client for the vector store (Milvus Lite file or a Milvus server).

``settings.MILVUS_URI`` is a file path (Milvus Lite, the default) or ``http://host:19530``. Only
ONE process can open a Lite file (``DataDirLockedError``): when several server processes or a
separate worker share the index, run ``milvus-lite server`` (or a real Milvus) and point every
process at it over ``http://``.

The client connects on first use, never at import or app start. Every call raises
``VectorStoreError`` on any failure; after a failure the store is skipped for
``MILVUS_RETRY_SECONDS`` so that search answers keyword-only at once instead of waiting on a
dead server with every request.

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
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

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


class _State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.client: Any = None
        self.uri: str | None = None
        self.collection: str | None = None
        self.down_until = 0.0


_state = _State()


def _connect() -> Any:
    """The client for the configured URI, connected (and the collection made) on first use."""
    uri = settings.MILVUS_URI
    collection = settings.MILVUS_COLLECTION
    if _state.client is not None and _state.uri == uri and _state.collection == collection:
        return _state.client
    close()
    if time.monotonic() < _state.down_until:
        raise VectorStoreError("vector store recently failed; retrying later")
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


def _call(fn_name: str, *args: Any, **kwargs: Any) -> Any:
    """Run one client call under the lock; any failure marks the store down for a while."""
    if time.monotonic() < _state.down_until:
        raise VectorStoreError("vector store recently failed; retrying later")
    try:
        with _state.lock:
            client = _connect()
        # The call itself runs outside the lock: the gRPC client is thread-safe.
        return getattr(client, fn_name)(*args, **kwargs)
    except VectorStoreError:
        raise
    except Exception as exc:
        logger.warning("Vector store call %s failed: %s", fn_name, exc)
        _state.down_until = time.monotonic() + settings.MILVUS_RETRY_SECONDS
        close()
        raise VectorStoreError(str(exc)) from exc


def close() -> None:
    """Drop the connection (tests call this to release a Lite file)."""
    with _state.lock:
        client, _state.client = _state.client, None
        uri, _state.uri, _state.collection = _state.uri, None, None
        if client is not None:
            try:
                client.close()
            except Exception:  # closing a broken client must not hide the real error
                logger.debug("closing the vector store client failed", exc_info=True)
        if uri and "://" not in uri:
            # Milvus Lite serves the file from threads in this process until told to stop.
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(uri)


def reset() -> None:
    """Close and forget a recent failure (tests, or an operator after fixing the server)."""
    close()
    _state.down_until = 0.0


def available() -> bool:
    return time.monotonic() >= _state.down_until


def upsert(items: list[VectorItem], *, flush: bool = True) -> None:
    """Insert or replace items; flush so the next search does not pay ~1 s per query."""
    if not items:
        return
    rows = [
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
    collection = settings.MILVUS_COLLECTION
    _call("upsert", collection, rows)
    if flush:
        _call("flush", collection)


def delete(keys: list[tuple[str, int]], *, flush: bool = True) -> None:
    if not keys:
        return
    collection = settings.MILVUS_COLLECTION
    _call("delete", collection, ids=[item_key(k, i) for k, i in keys])
    if flush:
        _call("flush", collection)


def flush() -> None:
    _call("flush", settings.MILVUS_COLLECTION)


def set_visible(*, owner_id: int, visible: bool) -> int:
    """Flip ``visible`` on every item of one owner (suspension); returns how many changed."""
    collection = settings.MILVUS_COLLECTION
    rows = _call(
        "query",
        collection,
        filter=f"owner_id == {int(owner_id)}",
        output_fields=["id", "kind", "object_id", "owner_id", VECTOR_FIELD],
        limit=16384,
    )
    if not rows:
        return 0
    for row in rows:
        row["visible"] = bool(visible)
        row[VECTOR_FIELD] = np.asarray(row[VECTOR_FIELD], dtype=np.float32).tolist()
    _call("upsert", collection, list(rows))
    _call("flush", collection)
    return len(rows)


def delete_owner(*, owner_id: int) -> None:
    collection = settings.MILVUS_COLLECTION
    _call("delete", collection, filter=f"owner_id == {int(owner_id)}")
    _call("flush", collection)


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
    """Remove the whole collection (``manage.py reindex --drop``)."""
    with _state.lock:
        client = _connect_or_raise()
        name = settings.MILVUS_COLLECTION
        if client.has_collection(name):
            client.drop_collection(name)
        close()


def _connect_or_raise() -> Any:
    try:
        return _connect()
    except VectorStoreError:
        raise
    except Exception as exc:
        _state.down_until = time.monotonic() + settings.MILVUS_RETRY_SECONDS
        raise VectorStoreError(str(exc)) from exc
