"""The in-process postings copy (search/postings.py) scores exactly as BM25 in SQL, and follows
the database: documents added, re-indexed and removed in this process or behind its back."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
import pytest

from tangerine.search import keyword, postings
from tangerine.search.models import SearchDocument, SearchPosting

VOCAB = [f"w{i}" for i in range(60)]
WEIGHTS = [1.0 / (i + 1) ** 1.1 for i in range(len(VOCAB))]
QUERIES = [["w0", "w1", "w37"], ["w2", "w3", "w4", "w50", "w59"], ["w12", "w0", "w30"], ["w20"]]


@pytest.fixture
def copy_on(db: None, settings: Any, monkeypatch: Any) -> Any:
    """The copy on; loads happen when a test says so (a background load thread would read
    the database outside the test's transaction)."""
    settings.SEARCH_POSTINGS_CACHE = True
    postings.forget()
    requested: list[bool] = []
    monkeypatch.setattr(postings, "load_in_background", lambda: requested.append(True))
    yield requested
    postings.forget()


def _index(object_id: int, words: list[str], kind: str = "post") -> None:
    keyword.index_document(kind=kind, object_id=object_id, owner_id=1, terms=Counter(words))


def _corpus() -> None:
    rng = random.Random(7)
    for object_id in range(1, 301):
        _index(object_id, rng.choices(VOCAB, weights=WEIGHTS, k=rng.randint(3, 40)))
    _index(1, ["w0", "w37"], kind="product")


def _same(copy: list[tuple[int, float]] | None, sql: list[tuple[int, float]]) -> None:
    assert copy is not None
    assert [i for i, _ in copy] == [i for i, _ in sql]
    assert np.allclose([s for _, s in copy], [s for _, s in sql], rtol=1e-9)


@pytest.mark.parametrize("limit", [5, 60, 400])
def test_the_copy_scores_exactly_as_sql(copy_on, limit):
    _corpus()
    assert postings.bm25(kind="post", terms=["w0"], limit=limit) is None  # not loaded yet
    assert copy_on == [True]  # ... and a load was asked for
    postings.load_now()
    for terms in QUERIES:
        keyword.forget_corpus_stats()
        sql = keyword.bm25(kind="post", terms=terms, limit=limit, prune=False)
        assert sql
        _same(postings.bm25(kind="post", terms=terms, limit=limit), sql)
    # Kinds stay apart.
    product = keyword.bm25(kind="product", terms=["w37"], limit=5, prune=False)
    assert [i for i, _ in product] == [1]
    _same(postings.bm25(kind="product", terms=["w37"], limit=5), product)


def test_the_copy_follows_documents_indexed_after_it_loaded(copy_on):
    _corpus()
    postings.load_now()
    _index(500, ["zebra", "w0"])  # new
    _index(2, ["giraffe"])  # re-indexed: its old words leave with it
    for terms in (["zebra"], ["giraffe"], ["w0", "w1"]):
        keyword.forget_corpus_stats()
        sql = keyword.bm25(kind="post", terms=terms, limit=50, prune=False)
        _same(postings.bm25(kind="post", terms=terms, limit=50), sql)
    assert [i for i, _ in postings.bm25(kind="post", terms=["zebra"], limit=5) or []] == [500]
    assert 2 not in {i for i, _ in postings.bm25(kind="post", terms=["w0"], limit=400) or []}


def test_writes_of_another_process_are_seen_on_the_next_search(copy_on):
    _corpus()
    postings.load_now()
    # Rows written straight to the tables, as another process's index job would.
    SearchDocument.objects.create(kind="post", object_id=900, owner_id=1, length=2)
    SearchPosting.objects.create(kind="post", term="okapi", object_id=900, tf=2, doc_length=2)
    keyword.forget_corpus_stats()
    sql = keyword.bm25(kind="post", terms=["okapi", "w3"], limit=20, prune=False)
    assert sql[0][0] == 900
    _same(postings.bm25(kind="post", terms=["okapi", "w3"], limit=20), sql)


def test_removals_leave_the_copy_when_they_commit(copy_on, django_capture_on_commit_callbacks):
    _corpus()
    postings.load_now()
    before = postings.bm25(kind="post", terms=["w37"], limit=400) or []
    gone = before[0][0]
    with django_capture_on_commit_callbacks(execute=True):
        keyword.remove_document(kind="post", object_id=gone)
    after = postings.bm25(kind="post", terms=["w37"], limit=400) or []
    assert gone not in {i for i, _ in after}
    keyword.forget_corpus_stats()
    _same(after, keyword.bm25(kind="post", terms=["w37"], limit=400, prune=False))


def test_a_database_emptied_under_the_copy_drops_it(copy_on):
    _corpus()
    postings.load_now()
    SearchPosting.objects.all().delete()
    SearchDocument.objects.all().delete()
    assert postings.bm25(kind="post", terms=["w0"], limit=5) is None  # SQL answers instead
    assert keyword.bm25(kind="post", terms=["w0"], limit=5) == []


def test_off_by_setting(copy_on, settings):
    _corpus()
    postings.load_now()
    settings.SEARCH_POSTINGS_CACHE = False
    assert postings.bm25(kind="post", terms=["w0"], limit=5) is None
