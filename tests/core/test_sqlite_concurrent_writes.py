"""The embedded default (SQLite) under bursts of writes: nobody gets "database is locked".

A real server process (uvicorn, its sync thread pool writing at once) on a SQLite file with the
real password hasher, as ``make run`` serves it. Before, 50 sign-ups at once gave 14-28 answers
``500 database is locked``: each password hash ran inside a write transaction, and SQLite's
``BEGIN IMMEDIATE`` holds the database-wide lock for the whole of it. With the hashes out, a
heavily loaded machine still lost 2 of 450 mixed writes to SQLite's busy polling; writers of a
process now queue in Python first (``core/sqlite``).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.servers import ROOT, Server

SIGNUPS = 50
MIXED_WRITES = 500
PASSWORD = "a long enough pass-phrase 2026"


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("sqlite-burst")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp),
        "PASSWORD_HASHERS_FAST": "false",  # the real hasher: the slow part that used to lock
        "TASKS_BACKEND": "thread",  # make run's job runner, writing beside the requests
        "RATE_LIMIT_REGISTRATION": "1000/3600",
        "THROTTLE_ANON": "100000/min",
        "THROTTLE_USER": "100000/min",
    }
    env.pop("CACHE_URL", None)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr.decode()[-3000:]
    server = Server(env, tmp / "server.log")
    try:
        server.wait_ready(time.monotonic() + 60)
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        server.log.close()


def _signup(server: Server, i: int) -> httpx.Response:
    body = {
        "email": f"burst{i}@example.com",
        "handle": f"burst_{i}",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return httpx.post(f"{server.base}/api/accounts/registration/", json=body, timeout=60)


@pytest.mark.slow
def test_fifty_signups_at_once_all_succeed_and_then_mixed_writes_do_too(
    sqlite_server: Server,
) -> None:
    with ThreadPoolExecutor(max_workers=SIGNUPS) as pool:
        answers = list(pool.map(lambda i: _signup(sqlite_server, i), range(SIGNUPS)))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [201] * SIGNUPS, [a.text[:200] for a in answers if a.status_code != 201]
    tokens = [answer.json()["access"] for answer in answers]

    def client(token: str) -> httpx.Client:
        return httpx.Client(
            base_url=sqlite_server.base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    # One post each, at once (each post also queues a search-index job on the thread pool).
    def post(token: str) -> httpx.Response:
        with client(token) as api:
            return api.post("/api/posts/p/", json={"title": "burst", "text": "감귤 한 상자 팔아요"})

    with ThreadPoolExecutor(max_workers=SIGNUPS) as pool:
        posts = list(pool.map(post, tokens))
    assert [p.status_code for p in posts] == [201] * SIGNUPS, [p.text[:200] for p in posts]
    post_uuids = [p.json()["uuid"] for p in posts]

    rng = random.Random(2026)
    jobs = [
        (rng.choice(tokens), rng.choice(("like", "comment")), rng.choice(post_uuids))
        for _ in range(MIXED_WRITES - SIGNUPS)
    ]

    def write(job: tuple[str, str, str]) -> int:
        token, kind, post_uuid = job
        with client(token) as api:
            if kind == "like":
                return api.post("/api/likes/post-likes/", json={"post": post_uuid}).status_code
            body = {"post": post_uuid, "text": "좋아요"}
            return api.post("/api/comments/", json=body).status_code

    with ThreadPoolExecutor(max_workers=SIGNUPS) as pool:
        codes = list(pool.map(write, jobs))
    errors = [code for code in codes if code >= 300]
    log = Path(sqlite_server.log_path).read_text(errors="replace")
    problems = [line for line in log.splitlines() if "Error" in line or "locked" in line]
    assert errors == [], (
        f"{len(errors)} of {len(codes)} writes failed: {sorted(set(errors))}\n"
        + "\n".join(problems[-20:])
    )
    assert "database is locked" not in log
