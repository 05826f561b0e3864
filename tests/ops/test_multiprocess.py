"""`scripts/run-prod.sh` for real: two API processes, a worker and the web server, shared services.

PostgreSQL (the pytest database), a Redis server of this test's own (so it can be stopped
without touching anyone else's), and a pulsar-lite broker as the channel layer. The test checks
that the topology check passes and the processes start, that a job queued in the database is
run by the worker, that ``/metrics`` counts the requests, and that ``/api/health/ready`` turns
503 while Redis is stopped and 200 again once it is back. Users on two API processes chatting is
tests/chats/test_two_servers.py. The web server (Procfile's ``web``, from the end-to-end suite's
build: tests/support/web.py) serves pages and proxies ``/api/`` to the API processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tangerine.core.models_jobs import Job
from tests.support.servers import free_port, server_database_url
from tests.support.web import DIST_DIR, build_web

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")

pytestmark = [
    pytest.mark.postgres,
    # pulsar-lite leaves its log file (a fixed path) open when it stops.
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name='/tmp/pulsar-lite.log'"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
    pytest.mark.skipif(REDIS_SERVER is None, reason="SKIPPED FOR WANT OF redis-server"),
]


class RedisServer:
    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert REDIS_SERVER is not None
        # No persistence: "--save ''" turns snapshots off.
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
                args,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(lambda: _port_open(self.port), 10, "redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(predicate: Any, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(message)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pulsar_url(tmp_path: Path) -> Iterator[str]:
    from pulsar_lite import start_broker

    broker = start_broker(str(tmp_path / "pulsar"))
    yield str(broker.url)
    broker.stop()


def _port(preferred: int) -> int:
    """``preferred`` when free (a rerun then reuses the web build made for it), else any."""
    return preferred if not _port_open(preferred) else free_port()


@pytest.fixture
def stack(
    transactional_db: None, redis_server: RedisServer, pulsar_url: str, tmp_path: Path
) -> Iterator[tuple[str, str, subprocess.Popen[bytes], Path]]:
    api_port, web_port = _port(18791), _port(13791)
    build_web(log=tmp_path / "build.log")  # the e2e suite's build (it names no API address)
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "CACHE_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "CHANNEL_LAYER_URL": pulsar_url,
        # Not started here: the vector store is optional for readiness, and nothing indexes.
        "MILVUS_URI": f"http://127.0.0.1:{free_port()}",
        "TASKS_BACKEND": "database",
        "SEARCH_INDEX_SYNC": "false",
        "METRICS_ENABLED": "true",
        "API_PROCESSES": "2",
        "API_PORT": str(api_port),
        "WEB_PORT": str(web_port),
        "NEXT_DIST_DIR": DIST_DIR,
        "ONLY": "api worker web",
        "TANGERINE_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    log = tmp_path / "run-prod.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
            ["/bin/bash", str(ROOT / "scripts" / "run-prod.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{api_port}"
    web = f"http://127.0.0.1:{web_port}"
    try:
        _wait(
            lambda: httpx.get(f"{base}/api/health/live", timeout=2).status_code == 200,
            90,
            f"the api did not start:\n{log.read_text(errors='replace')[-3000:]}",
        )
        _wait(
            lambda: _port_open(web_port),
            90,
            f"the web server did not start:\n{log.read_text(errors='replace')[-3000:]}",
        )
        yield base, web, process, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _ready(base: str) -> httpx.Response:
    return httpx.get(f"{base}/api/health/ready", timeout=15)


def _wait_for_ready(base: str, condition: Any, message: str, seconds: float = 90) -> httpx.Response:
    """The first readiness answer meeting ``condition`` (probes go to either API process)."""
    deadline = time.monotonic() + seconds
    answers: list[str] = []
    while time.monotonic() < deadline:
        answer = _ready(base)
        if condition(answer):
            return answer
        answers.append(answer.text)
        time.sleep(0.3)
    raise AssertionError(f"{message}; last answers: {answers[-3:]}")


def test_two_api_processes_a_worker_and_the_web_server_share_the_services(
    stack: tuple[str, str, subprocess.Popen[bytes], Path], redis_server: RedisServer
) -> None:
    base, web, process, log = stack
    text = log.read_text(errors="replace")
    assert "Topology OK: 2 API process(es)" in text
    assert "starting api" in text and "starting worker" in text and "starting web" in text

    # Ready once both processes have warmed up (loading the tokenizer and the model holds the
    # interpreter for seconds: a probe may time out meanwhile, as a load balancer's would).
    answer = _wait_for_ready(base, lambda r: r.status_code == 200, "never ready")
    checks = answer.json()["checks"]
    assert checks["channel_layer"]["backend"] == "pulsar"
    assert checks["cache"]["shared"] is True
    assert checks["job_queue"]["backend"] == "database"
    assert checks["vector_store"]["status"] != "ok"  # optional: degraded, still ready
    # Metrics show the traffic. Each process keeps its own registry and the kernel hands each
    # connection to either, so scrape until one answer shows requests that process served.
    counted = 'tangerine_http_responses_total{method="GET",route="'
    scrapes = [httpx.get(f"{base}/metrics", timeout=10).text for _ in range(20)]
    assert any(counted in text for text in scrapes), scrapes[-1][-2000:]

    # The web server serves pages and proxies the API to the API processes.
    page = httpx.get(f"{web}/products", timeout=30)
    assert page.status_code == 200 and "<html" in page.text
    proxied = httpx.get(f"{web}/api/health/ready", timeout=30)
    assert proxied.status_code == 200, proxied.text
    assert proxied.json()["checks"]["channel_layer"]["backend"] == "pulsar"

    # A job queued in the shared database is run by the worker process.
    job = Job.objects.create(name="tangerine.images.tasks.image_process", kwargs={"image_id": 0})
    _wait(
        lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE,
        30,
        f"the worker did not run the job:\n{log.read_text(errors='replace')[-3000:]}",
    )

    # Redis stopped: not ready (cache down); back: ready again, without restarting anything.
    redis_server.stop()
    down = _wait_for_ready(
        base, lambda r: r.json()["checks"]["cache"]["status"] != "ok", "Redis down not seen"
    )
    assert down.status_code == 503, down.text
    assert down.json()["checks"]["cache"]["status"] in {"down", "timeout"}
    redis_server.start()
    _wait_for_ready(base, lambda r: r.status_code == 200, "ready did not come back with Redis")
    assert process.poll() is None  # every process is still running
