"""/api/health/live and /api/health/ready against the real services (PostgreSQL, Redis).

Readiness is checked in worker threads with their own database connections, so the tests that
need rows to be seen use ``transactional_db`` (committed rows).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tangerine.config import health as health_views
from tangerine.core import health
from tangerine.core.models_jobs import Job
from tangerine.integrations import milvus
from tangerine.posts.models import Post
from tangerine.search import services as search_services
from tests.factories import UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
COMPONENTS = {"database", "cache", "channel_layer", "storage", "vector_store", "job_queue"}


def _closed_port() -> int:
    """A loopback port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _use_redis(settings: Any, url: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "tangerine.config.redis_layer.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url}], "prefix": "health-test"},
        }
    }


@pytest.fixture(autouse=True)
def _vector_store(settings: Any, tmp_path: Path) -> Iterator[None]:
    """A Milvus Lite file of this test's own; a generous probe timeout (Lite starts slowly)."""
    settings.MILVUS_URI = str(tmp_path / "milvus.db")
    settings.MILVUS_COLLECTION = "health_items"
    settings.HEALTH_CHECK_TIMEOUT = 20.0
    settings.HEALTH_READY_CACHE_SECONDS = 0  # every probe checks (one test covers the reuse)
    milvus.reset()
    search_services.clear_missing_count()
    yield
    milvus.reset()
    search_services.clear_missing_count()


def _ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/api/health/ready")
    return response.status_code, response.json()


def test_live_answers_without_touching_any_service(client: Client, settings: Any) -> None:
    # No database fixture: pytest-django makes any database access raise here.
    _use_redis(settings, f"redis://127.0.0.1:{_closed_port()}/0")  # and Redis is gone
    response = client.get("/api/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_original_health_endpoint_still_checks_the_database(db: None, client: Client) -> None:
    response = client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.redis
def test_ready_reports_every_component_with_its_latency(
    transactional_db: None, client: Client, settings: Any
) -> None:
    _use_redis(settings, REDIS_URL)
    status, body = _ready(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == COMPONENTS
    for name, check in body["checks"].items():
        assert check["status"] == "ok", (name, check)
        assert isinstance(check["latency_ms"], float | int)
        assert 0 <= check["latency_ms"] < 20_000
    assert body["checks"]["vector_store"]["required"] is False
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["cache"]["shared"] is True
    assert body["checks"]["channel_layer"]["backend"] == "redis"


@pytest.mark.redis
def test_ready_flips_to_503_when_redis_is_unreachable_and_back(
    transactional_db: None, client: Client, settings: Any
) -> None:
    _use_redis(settings, REDIS_URL)
    assert _ready(client)[0] == 200

    _use_redis(settings, f"redis://127.0.0.1:{_closed_port()}/0")
    status, body = _ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["channel_layer"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    # Only the class of the error is told, never its text (hosts, ports, users).
    assert "127.0.0.1" not in str(body)

    _use_redis(settings, REDIS_URL)
    status, body = _ready(client)
    assert status == 200, body
    assert body["checks"]["cache"]["status"] == "ok"


@pytest.mark.redis
def test_ready_is_503_when_only_the_channel_layer_is_down(
    transactional_db: None, client: Client, settings: Any
) -> None:
    _use_redis(settings, REDIS_URL)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_pulsar.PulsarChannelLayer",
            "CONFIG": {"service_url": f"pulsar://127.0.0.1:{_closed_port()}"},
        }
    }
    status, body = _ready(client)
    assert status == 503
    assert body["checks"]["channel_layer"] == {
        "status": "down",
        "required": True,
        "latency_ms": body["checks"]["channel_layer"]["latency_ms"],
        "error": "ConnectionRefusedError",
    }
    assert body["checks"]["cache"]["status"] == "ok"


def test_ready_is_503_when_storage_cannot_be_written(
    transactional_db: None, client: Client, settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = str(blocker / "media")
    status, body = _ready(client)
    assert status == 503
    assert body["checks"]["storage"]["status"] == "down"


def test_an_unreachable_vector_store_degrades_but_does_not_fail_readiness(
    transactional_db: None, client: Client, settings: Any
) -> None:
    settings.MILVUS_URI = f"http://127.0.0.1:{_closed_port()}"
    settings.MILVUS_TIMEOUT = 1
    status, body = _ready(client)
    assert body["checks"]["vector_store"]["status"] == "down"
    assert body["checks"]["vector_store"]["required"] is False
    assert status == 200, body
    # Refused at the TCP connect: the probe never entered pymilvus (whose connection attempts
    # hold the interpreter for seconds), so it did not mark the store down for search either.
    assert body["checks"]["vector_store"]["error"] == "ConnectionRefusedError"
    assert milvus.available()


def test_ready_reports_the_count_of_items_without_a_vector(
    transactional_db: None, client: Client, settings: Any
) -> None:
    settings.SEARCH_INDEX_SYNC = False
    author = UserFactory.create()
    for n in range(3):
        Post.objects.create(author=author, title=f"t{n}", text="귤 tangerine", status="published")
    _, body = _ready(client)
    vector_store = body["checks"]["vector_store"]
    assert vector_store["status"] == "ok", vector_store
    assert vector_store["vectors"] == 0
    assert vector_store["missing_vectors"] == 3


def test_ready_reports_the_job_queue_depth_of_the_database_backend(
    transactional_db: None, client: Client, settings: Any
) -> None:
    settings.TASKS_BACKEND = "database"
    Job.objects.create(name="a.job", kwargs={})
    Job.objects.create(name="a.job", kwargs={})
    Job.objects.create(name="a.job", kwargs={}, status=Job.Status.FAILED)
    _, body = _ready(client)
    queue = body["checks"]["job_queue"]
    assert queue["status"] == "ok"
    assert queue["depth"] == 2
    assert queue["failed"] == 1
    assert queue["shared"] is True


def test_probes_within_a_second_share_one_round_of_checks(
    transactional_db: None, client: Client, settings: Any
) -> None:
    settings.HEALTH_READY_CACHE_SECONDS = 1.0
    rounds: list[int] = []

    def count_round() -> int:
        rounds.append(1)
        return len(rounds)

    health.register_detail(check="database", key="round", fn=count_round)
    health_views.forget_last_answer()
    try:
        first = client.get("/api/health/ready")
        second = client.get("/api/health/ready")
        assert len(rounds) == 1
        assert first.json() == second.json()
        health_views.forget_last_answer()
        client.get("/api/health/ready")
        assert len(rounds) == 2
    finally:
        health.unregister_detail(check="database", key="round")
        health_views.forget_last_answer()
