"""Search fixtures: the hash embedder (fast plumbing) and a Milvus Lite file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tangerine.integrations import embeddings, milvus
from tangerine.search import keyword, services

UNREACHABLE_MILVUS = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def search_backends(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.EMBEDDING_BACKEND = "hash"
    settings.SEARCH_INDEX_SYNC = True
    settings.MILVUS_URI = str(tmp_path / "milvus.db")
    settings.MILVUS_COLLECTION = "items"
    settings.MILVUS_RETRY_SECONDS = 30
    milvus.reset()
    embeddings.clear_query_cache()
    keyword.forget_corpus_stats()  # each test has its own rows
    services.clear_missing_count()  # views remember the missing-vector count for seconds
    yield
    milvus.reset()
    services.clear_missing_count()


@pytest.fixture
def milvus_down(settings: Any) -> None:
    """The vector store is unreachable (nothing listens on the discard port)."""
    milvus.reset()
    settings.MILVUS_URI = UNREACHABLE_MILVUS
