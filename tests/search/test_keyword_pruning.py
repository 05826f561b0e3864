"""BM25 pruning (MaxScore) returns exactly the ranking of the plain computation."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tangerine.search import keyword

# A Zipf-like vocabulary: a few words in most documents (like 추천, 후기), many rare ones.
VOCAB = [f"w{i}" for i in range(60)]
WEIGHTS = [1.0 / (i + 1) ** 1.1 for i in range(len(VOCAB))]


@pytest.fixture
def corpus(db: None, monkeypatch: Any) -> None:
    monkeypatch.setattr(keyword, "PRUNE_MIN_POSTINGS", 0)  # prune even a small corpus
    rng = random.Random(11)
    for object_id in range(1, 401):
        words = rng.choices(VOCAB, weights=WEIGHTS, k=rng.randint(3, 40))
        keyword.index_document(kind="post", object_id=object_id, owner_id=1, terms=Counter(words))


QUERIES = [
    ["w0", "w1", "w37"],  # two very common words and a rare one
    ["w0", "w45"],
    ["w2", "w3", "w4", "w50", "w59"],
    ["w0", "w1", "w2"],  # only common words: pruning cannot apply
    ["w12", "w0", "w30", "w7"],
    ["w20", "missing"],
]


@pytest.mark.parametrize("terms", QUERIES)
@pytest.mark.parametrize("limit", [5, 20, 60])
def test_pruned_top_results_equal_the_exact_computation(corpus, terms, limit):
    exact = keyword.bm25(kind="post", terms=terms, limit=limit, prune=False)
    pruned = keyword.bm25(kind="post", terms=terms, limit=limit)
    assert len(exact) == limit
    assert [i for i, _ in pruned] == [i for i, _ in exact]
    assert np.allclose([s for _, s in pruned], [s for _, s in exact], rtol=1e-9)


def test_pruning_reads_common_postings_only_for_candidates(corpus):
    with CaptureQueriesContext(connection) as queries:
        pruned = keyword.bm25(kind="post", terms=["w0", "w1", "w37"], limit=5)
    assert any("IN (SELECT" in q["sql"].upper() for q in queries.captured_queries)
    # The rare word lifts its documents above any document holding only the common words.
    holders = {i for i, _ in keyword.bm25(kind="post", terms=["w37"], limit=400)}
    assert {i for i, _ in pruned} <= holders


def test_scores_follow_the_corpus_size_as_documents_are_added(db):
    keyword.index_document(kind="post", object_id=1, owner_id=1, terms=Counter({"coat": 1}))
    [(_, alone)] = keyword.bm25(kind="post", terms=["coat"], limit=5)
    for object_id in (2, 3, 4):
        keyword.index_document(
            kind="post", object_id=object_id, owner_id=1, terms=Counter({"hat": 1})
        )
    [(_, among_four)] = keyword.bm25(kind="post", terms=["coat"], limit=5)
    # N = 4, df = 1, every document one term long (|d| = avgdl): tf part = 1.
    assert among_four == pytest.approx(math.log(1 + (4 - 1 + 0.5) / 1.5))
    assert among_four > alone
    keyword.remove_document(kind="post", object_id=1)
    assert keyword.bm25(kind="post", terms=["coat"], limit=5) == []
