"""What a served process loads when it starts, so that its first searches are as fast as the
later ones: the Korean tokenizer, the in-process vector copy and the keyword postings copy,
each on its own daemon thread. ``config/asgi.py`` calls ``start``; management commands and the
test suite never do. The readiness probe reports whether the two copies are loaded
(``vector_store.vector_copy`` and ``database.keyword_copy``, registered in apps.py)."""

from __future__ import annotations

from django.conf import settings


def start() -> None:
    """With ``SEARCH_WARM_AT_START``: start loading everything in the background and return at
    once (until a copy is loaded, searches use Milvus and SQL)."""
    if not settings.SEARCH_WARM_AT_START:
        return
    from tangerine.integrations import milvus
    from tangerine.search import postings
    from tangerine.search.tokenize import warm_in_background

    warm_in_background()
    milvus.mirror_load_in_background()
    postings.load_at_start()


def vector_copy_status() -> dict[str, object]:
    from tangerine.integrations import milvus

    return milvus.mirror_status()


def keyword_copy_status() -> dict[str, object]:
    from tangerine.search import postings

    return postings.status()
