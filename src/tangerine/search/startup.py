"""What a served process loads when it starts, so that its first searches are as fast as the
later ones: the Korean tokenizer, the in-process vector copy, the keyword postings copy and the
spelling vocabulary, each on a daemon thread. ``config/asgi.py`` calls ``start``; management
commands and the test suite never do. The readiness probe reports whether the two copies are
loaded (``vector_store.vector_copy`` and ``database.keyword_copy``, registered in apps.py).

Once the copies are loaded, everything the process holds by then is moved out of the garbage
collector's reach (``gc.freeze``): it lives as long as the process, and a full collection over
it cost 240-380 ms in a search process at 100k items on the loaded 2-core machine (242k
tracked objects), which landed inside a request now and then (one of 40 requests took 929 ms,
639 ms of it one collection; bench/search/README.md, "Round 4"). Objects made later are
collected as usual, but less often (``core.runtime.GC_THRESHOLD``).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from tangerine.core import runtime

logger = logging.getLogger(__name__)

# How long the settle thread waits for the copies before it freezes what is there.
SETTLE_TIMEOUT = 900.0
_POLL = 0.5


def start() -> bool:
    """With ``SEARCH_WARM_AT_START``: start loading everything in the background and return at
    once (until a copy is loaded, searches use Milvus and SQL); True when the process will be
    settled (``settle``) once the copies are loaded."""
    if not settings.SEARCH_WARM_AT_START:
        return False
    from tangerine.integrations import milvus
    from tangerine.search import postings
    from tangerine.search.tokenize import warm_in_background

    warm_in_background()
    milvus.mirror_load_in_background()
    postings.load_at_start()
    threading.Thread(target=settle, name="search-settle", daemon=True).start()
    return True


def settle(timeout: float = SETTLE_TIMEOUT) -> bool:
    """Read the spelling vocabulary (else the first search reads it, in place), wait until both
    copies are loaded (or ``timeout``), then collect and freeze. True when both were loaded."""
    from tangerine.search.selectors import expand

    try:
        expand.tables()
    except Exception:  # the first search will try again
        logger.exception("Reading the search vocabulary at start failed")
    finally:
        connection.close()  # this thread's own connection
    deadline = time.monotonic() + timeout
    loaded = _copies_loaded()
    while not loaded and time.monotonic() < deadline:
        time.sleep(_POLL)
        loaded = _copies_loaded()
    frozen = runtime.settle_collector()
    logger.info("Search start-up settled (copies loaded: %s); %d objects frozen", loaded, frozen)
    return loaded


def _copies_loaded() -> bool:
    vectors, keywords = vector_copy_status(), keyword_copy_status()
    return all(bool(s["loaded"]) or not s["enabled"] for s in (vectors, keywords))


def vector_copy_status() -> dict[str, object]:
    from tangerine.integrations import milvus

    return milvus.mirror_status()


def keyword_copy_status() -> dict[str, object]:
    from tangerine.search import postings

    return postings.status()
