"""A served process loads the keyword postings copy and the vector copy when it starts, not on
its first search (search/startup.py, called by config/asgi.py), and its readiness probe says
so. Management commands and the test suite load nothing (SEARCH_WARM_AT_START off)."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings

from tangerine.core import runtime
from tangerine.integrations import milvus
from tangerine.search import postings, startup
from tangerine.search.models import SearchDocument, SearchPosting
from tangerine.search.selectors import expand
from tests.support.servers import Server, server_database_url


def _ready(server: Server) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{server.base}/api/health/ready", timeout=10).json()
    return body


def _server(tmp_path: Path, **extra: str) -> Server:
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "EMBEDDING_BACKEND": "hash",
        "MILVUS_URI": django_settings.MILVUS_URI,
        "MILVUS_COLLECTION": django_settings.MILVUS_COLLECTION,
        "SEARCH_VECTOR_MIRROR": "auto",
        "SEARCH_POSTINGS_CACHE": "true",
        "HEALTH_READY_CACHE_SECONDS": "0",
        **extra,
    }
    server = Server(env, tmp_path / "api.log")
    server.wait_ready(time.monotonic() + 120)
    return server


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_served_process_loads_both_copies_before_any_search(alice, make_post, tmp_path):
    for i in range(5):
        make_post(author=alice, title=f"겨울 코트 {i}", text="따뜻한 울 코트를 샀어요")
    documents = SearchDocument.objects.filter(kind="post").count()
    rows = SearchPosting.objects.count()
    assert documents == 5 and rows > 0
    assert milvus.count() == 5
    milvus.close()  # a Milvus Lite file is opened by one process at a time: the server's now
    server = _server(tmp_path, SEARCH_WARM_AT_START="true")
    try:
        deadline = time.monotonic() + 90
        while True:  # no search is ever sent to this server: only readiness probes
            checks = _ready(server)["checks"]
            keyword_copy = checks["database"]["keyword_copy"]
            vector_copy = checks["vector_store"].get("vector_copy") or {}
            if keyword_copy["loaded"] and vector_copy.get("loaded"):
                break
            assert time.monotonic() < deadline, (checks, server.log_path.read_text()[-2000:])
            time.sleep(0.3)
        assert keyword_copy["enabled"] is True
        assert keyword_copy["documents"] == documents
        assert keyword_copy["postings"] == rows
        assert (vector_copy["enabled"], vector_copy["rows"]) == (True, 5)
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_warm_at_start_a_server_loads_nothing_until_searched(alice, make_post, tmp_path):
    make_post(author=alice, title="겨울 코트", text="따뜻한 울 코트")
    milvus.close()
    server = _server(tmp_path, SEARCH_WARM_AT_START="false")
    try:
        deadline = time.monotonic() + 60
        while True:  # the probe's first count opens the Milvus Lite file (may time out)
            checks = _ready(server)["checks"]
            if checks["vector_store"]["status"] == "ok":
                break
            assert time.monotonic() < deadline, checks
            time.sleep(0.3)
        time.sleep(2)  # time enough for a load of one document, had one started
        checks = _ready(server)["checks"]
        assert checks["database"]["keyword_copy"]["loaded"] is False
        assert checks["vector_store"]["vector_copy"]["loaded"] is False
        # The first search asks for both loads (and is answered from SQL and Milvus meanwhile).
        found = httpx.get(f"{server.base}/api/search/", params={"q": "코트"}, timeout=60).json()
        assert [hit["title"] for hit in found["post"]["results"]] == ["겨울 코트"]
        deadline = time.monotonic() + 60
        while not _ready(server)["checks"]["database"]["keyword_copy"]["loaded"]:
            assert time.monotonic() < deadline
            time.sleep(0.3)
    finally:
        server.stop()


def test_start_does_nothing_without_warm_at_start(settings):
    settings.SEARCH_WARM_AT_START = False
    settings.SEARCH_POSTINGS_CACHE = True
    postings.forget()
    startup.start()
    assert postings.status() == {
        "enabled": True,
        "loaded": False,
        "loading": False,
        "documents": 0,
        "postings": 0,
        "age_seconds": None,
    }
    assert milvus.mirror_status()["loading"] is False


def test_a_disabled_copy_is_not_loaded_at_start(settings, monkeypatch):
    settings.SEARCH_POSTINGS_CACHE = False
    started: list[bool] = []
    monkeypatch.setattr(postings, "load_in_background", lambda: started.append(True))
    postings.load_at_start()
    assert started == []
    assert postings.status()["enabled"] is False


@pytest.mark.django_db(transaction=True)  # settle closes its thread's connection, as it ends
def test_settle_reads_the_vocabulary_waits_for_the_copies_then_freezes(
    alice, make_post, settings, monkeypatch
):
    make_post(author=alice, title="겨울 코트", text="따뜻한 울 코트")
    settings.SEARCH_POSTINGS_CACHE = True
    settings.SEARCH_VECTOR_MIRROR = "off"
    postings.forget()
    expand.forget()
    monkeypatch.setattr(startup, "_POLL", 0.01)
    thresholds = gc.get_threshold()
    try:
        # The postings copy is not loaded: settle waits its timeout, then freezes anyway.
        assert startup.settle(timeout=0.1) is False
        assert expand.tables().loaded_at > 0 and "코트" in expand.tables().df
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == runtime.GC_THRESHOLD != (700, 10, 10)
        gc.unfreeze()
        postings.load_now()
        started = time.monotonic()
        assert startup.settle(timeout=30) is True  # loaded: no waiting
        assert time.monotonic() - started < 5
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        postings.forget()
        expand.forget()
