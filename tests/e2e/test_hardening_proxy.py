"""Through the web server, the address Django's limiter counts is the real peer, not a header.

Started here like `make run` starts them (scripts/run.sh): uvicorn with ``--no-proxy-headers``
and ``NUM_PROXIES=1`` behind ``node web/server.mjs``, which replaces any X-Forwarded-For with
the address it saw. Login is limited to 3 attempts per address; each attempt uses a new e-mail
so only the address counter can trip.

Before: uvicorn trusted X-Forwarded-For from the loopback proxy and the proxy passed the
client's header through, so a new spoofed address per request was never limited.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.web import DIST_DIR, build_web

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
NEXT = WEB / "node_modules" / ".bin" / "next"


def _port(preferred: int) -> int:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build(env: dict[str, str], log: Path) -> None:
    build_web(log=log, env=env)


def _start(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 (fixed commands)
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace")[-3000:])
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def web_url() -> Iterator[str]:
    tmp = Path(tempfile.mkdtemp(prefix="tangerine-proxy-"))
    api_port = _port(18791)
    web_port = _port(13791)
    api_origin = f"http://127.0.0.1:{api_port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "JWT_SIGNING_KEY": "test-only-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PASSWORD_HASHERS_FAST": "true",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp / "var"),
        "CHANNEL_LAYER_URL": "memory://",
        "SEARCH_INDEX_SYNC": "false",
        "EMBEDDING_BACKEND": "hash",
        "NUM_PROXIES": "1",
        "RATE_LIMIT_LOGIN": "3/300",
        "NEXT_TELEMETRY_DISABLED": "1",
    }
    for name in ("CACHE_URL", "REDIS_URL_CACHE"):
        env.pop(name, None)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
            check=True,
        )
        _build(env, tmp / "build.log")
        api_log = tmp / "api.log"
        uvicorn = [
            str(ROOT / ".venv" / "bin" / "uvicorn"),
            "tangerine.config.asgi:application",
            "--app-dir",
            "src",
            "--host",
            "127.0.0.1",
            "--port",
            str(api_port),
            "--no-proxy-headers",  # as scripts/run.sh
        ]
        procs.append(_start(uvicorn, ROOT, env, api_log))
        web_log = tmp / "web.log"
        web_env = {
            **env,
            "PORT": str(web_port),
            "HOSTNAME": "127.0.0.1",
            "NEXT_DIST_DIR": DIST_DIR,
            "API_ORIGIN": api_origin,
            "NODE_ENV": "production",
        }
        procs.append(_start(["node", "server.mjs"], WEB, web_env, web_log))
        _wait(f"{api_origin}/api/health/", procs[0], api_log)
        web = f"http://127.0.0.1:{web_port}"
        _wait(f"{web}/api/health/", procs[1], web_log)
        yield web
    finally:
        for proc in reversed(procs):
            _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _login(client: httpx.Client, n: int, spoof: str | None) -> int:
    headers = {"X-Forwarded-For": spoof} if spoof else {}
    response = client.post(
        "/api/accounts/login/",
        json={"email": f"nobody{n}@example.com", "password": "wrong-password"},
        headers=headers,
    )
    return response.status_code


def test_a_spoofed_forwarded_for_does_not_change_the_limited_address(web_url: str) -> None:
    with httpx.Client(base_url=web_url, timeout=20) as client:
        # Three failed logins, each "from" a new address by header: all counted for 127.0.0.1.
        codes = [_login(client, n, f"203.0.113.{n}, 198.51.100.{n}") for n in range(3)]
        assert codes == [401, 401, 401]
        assert _login(client, 3, "203.0.113.99") == 429
        assert _login(client, 4, None) == 429

    # Another real client (another loopback source address) is its own address, not lumped in.
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=web_url, timeout=20, transport=other) as client:
        assert _login(client, 5, "127.0.0.1") == 401
