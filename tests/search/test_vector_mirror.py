"""The in-process vector copy (integrations/vector_mirror.py) answers as Milvus does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tangerine.integrations import milvus
from tangerine.integrations.milvus import DIM, VectorItem
from tangerine.integrations.vector_mirror import Mirror, Row

rng = np.random.default_rng(7)


def _vec() -> np.ndarray:
    v = rng.normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _brute(rows: list[Row], q: np.ndarray, kind: str, limit: int) -> list[int]:
    cands = [r for r in rows if r.kind == kind and r.visible]
    cands.sort(key=lambda r: -float(r.vector @ q))
    return [r.object_id for r in cands[:limit]]


def test_the_copy_ranks_exactly_with_filters_and_grows() -> None:
    rows = [Row("post" if i % 3 else "product", i, i % 7, i % 11 != 0, _vec()) for i in range(3000)]
    mirror = Mirror(DIM)
    mirror.replace_all(rows)  # past the initial capacity of 1,024 rows a kind
    q = _vec()
    found = mirror.search(q, kind="post", limit=20)
    assert [object_id for object_id, _, _ in found] == _brute(rows, q, "post", 20)
    assert found[0][1] == pytest.approx(float(rows[found[0][0]].vector @ q), abs=1e-5)

    excluded = mirror.search(q, kind="post", limit=50, exclude_owner_ids=[1, 2])
    assert excluded and all(rows[o].owner_id not in {1, 2} for o, _, _ in excluded)
    skip = [o for o, _, _ in found[:5]]
    assert not {
        o for o, _, _ in mirror.search(q, kind="post", limit=20, exclude_object_ids=skip)
    } & set(skip)


def test_writes_after_loading_are_seen() -> None:
    mirror = Mirror(DIM)
    mirror.replace_all([Row("post", 1, 10, True, _vec())])
    q = _vec()
    mirror.upsert([Row("post", 2, 20, True, q)])  # the query itself: the best match
    assert mirror.search(q, kind="post", limit=1)[0][0] == 2
    mirror.upsert([Row("post", 2, 20, False, q)])  # hidden: no longer found
    assert [o for o, _, _ in mirror.search(q, kind="post", limit=5)] == [1]
    mirror.delete([("post", 1)])
    assert mirror.search(q, kind="post", limit=5) == []
    mirror.upsert([Row("post", 3, 30, True, _vec()), Row("post", 4, 30, True, _vec())])
    mirror.delete_owner(30)
    assert mirror.count() == 1  # post 2 (hidden) is still stored
    mirror.upsert([Row("post", 5, 40, True, _vec())])  # reuses a freed slot
    assert [o for o, _, _ in mirror.search(q, kind="post", limit=5)] == [5]


def test_writes_before_loading_are_not_half_applied() -> None:
    mirror = Mirror(DIM)
    mirror.upsert([Row("post", 1, 1, True, _vec())])  # not loaded: ignored, loaded later
    assert not mirror.loaded
    assert mirror.search(_vec(), kind="post", limit=5) == []


def _items(n: int, owner: int = 1) -> list[VectorItem]:
    return [VectorItem("post", i, owner + i % 2, True, _vec()) for i in range(1, n + 1)]


def test_search_reads_the_copy_and_matches_milvus(settings: Any) -> None:
    items = _items(60)
    milvus.upsert(items)
    q = _vec()
    settings.SEARCH_VECTOR_MIRROR = "off"
    direct = [h.object_id for h in milvus.search(q, kind="post", limit=10)]
    settings.SEARCH_VECTOR_MIRROR = "on"
    assert milvus.mirror_load() == 60
    copy = milvus.search(q, kind="post", limit=10, with_vectors=True)
    assert [h.object_id for h in copy] == direct
    assert copy[0].vector is not None and copy[0].vector.shape == (DIM,)

    # Later writes of this process reach the copy: a hidden owner, a deleted item, a new one.
    milvus.set_visible(owner_id=1, visible=False)
    assert all(h.object_id % 2 == 1 for h in milvus.search(q, kind="post", limit=60))
    milvus.delete([("post", 1)])
    assert 1 not in {h.object_id for h in milvus.search(q, kind="post", limit=60)}
    milvus.upsert([VectorItem("post", 999, 5, True, q)])
    assert milvus.search(q, kind="post", limit=1)[0].object_id == 999
    milvus.delete_owner(owner_id=5)
    assert 999 not in {h.object_id for h in milvus.search(q, kind="post", limit=60)}

    from_copy = [h.object_id for h in milvus.search(q, kind="post", limit=5)]
    settings.SEARCH_VECTOR_MIRROR = "off"  # and Milvus, the store of record, holds the same
    assert [h.object_id for h in milvus.search(q, kind="post", limit=5)] == from_copy


def test_auto_is_on_for_a_lite_file_only(settings: Any) -> None:
    settings.SEARCH_VECTOR_MIRROR = "auto"
    assert milvus.mirror_enabled()
    settings.MILVUS_URI = "http://127.0.0.1:19530"
    assert not milvus.mirror_enabled()


def test_a_reset_forgets_the_copy(settings: Any) -> None:
    settings.SEARCH_VECTOR_MIRROR = "on"
    milvus.upsert(_items(3))
    milvus.mirror_load()
    assert milvus._mirror.loaded
    milvus.reset()
    assert not milvus._mirror.loaded
