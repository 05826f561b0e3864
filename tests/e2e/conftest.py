"""End-to-end harness: real Django (uvicorn) and Next.js servers, driven by the system Chromium.

One session starts, for the whole run:
- a fresh SQLite database in a temporary folder, migrated with ``manage.py migrate``;
- Django under uvicorn on a free port with the production-like test environment of
  scripts/test.sh (DEBUG=false, test keys), media served, an in-memory channel layer;
- the web server (web/server.mjs, as ``make run`` starts it) proxying to that Django port
  (API_ORIGIN), from the test build in its own ``distDir`` (web/.next-test, tests/support/web.py),
  rebuilt only when the web sources change.

Everything started here runs in its own process group and is killed in the finalizer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fake_google import CLIENT_ID as GOOGLE_CLIENT_ID
from tests.support.fake_google import FakeGoogle
from tests.support.web import DIST_DIR, build_web

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Tangerine-e2e-Pass-2024!"
# Screenshots for a human to look at after a run (E2E_SCREENSHOTS overrides).
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", tempfile.gettempdir()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, loudly, when the browser or the web app's dependencies are missing."""
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"SKIPPED: no Chromium at {CHROMIUM} (apt-get install -y chromium fonts-nanum)"
    elif not (WEB / "node_modules" / ".bin" / "next").exists():
        reason = "SKIPPED: web/node_modules is missing (cd web && npm ci)"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port(preferred: int | None = None) -> int:
    if preferred:
        with socket.socket() as s:
            # Servers bind with SO_REUSEADDR: a port in TIME_WAIT from the last run is still usable
            # (and keeps the cached build, whose rewrites name this port).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build_web(log: Path) -> None:
    build_web(log=log)


def _start(cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A process group of its own: next forks children that must die with it. The child keeps its
    # own copy of the log's file descriptor, so the parent's copy is closed right away.
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 (fixed commands)
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{url}: server exited early:\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class Servers:
    base_url: str  # the Next.js server: what the browser opens
    api_url: str  # Django directly: for arranging data quickly over HTTP
    tmp: Path
    # The Django server's environment: management commands run against the same database.
    env: dict[str, str] = field(default_factory=dict)
    # The local fake of Google's sign-in the API server is pointed at.
    google: FakeGoogle | None = None

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.api_url, headers=headers, timeout=20)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    tmp = Path(tempfile.mkdtemp(prefix="tangerine-e2e-"))
    api_port = _free_port(int(os.environ.get("E2E_API_PORT", "18765")))
    web_port = _free_port(int(os.environ.get("E2E_WEB_PORT", "13765")))
    api_origin = f"http://127.0.0.1:{api_port}"
    google = FakeGoogle().start()
    env = {
        **os.environ,
        # The production-like test configuration of scripts/test.sh.
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "JWT_SIGNING_KEY": "test-only-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PASSWORD_HASHERS_FAST": "true",
        "OMP_NUM_THREADS": "1",
        # Its own database, files and in-process services: nothing shared with other runs.
        "DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "var" / "media"),
        "CHANNEL_LAYER_URL": "memory://",
        "SERVE_MEDIA": "true",
        "TASKS_BACKEND": "thread",
        # Every test signs up and logs in from 127.0.0.1.
        "RATE_LIMIT_LOGIN": "1000/60",
        "RATE_LIMIT_REGISTRATION": "1000/60",
        "RATE_LIMIT_PASSWORD_RESET": "1000/60",
        # Every page load and API call of the whole suite is one anonymous client (127.0.0.1):
        # DRF's per-address throttle (300/min) would start refusing the suite itself.
        "THROTTLE_ANON": "100000/min",
        "THROTTLE_USER": "100000/min",
        # Link previews fetch the test's own store page on 127.0.0.1.
        "PREVIEW_ALLOW_LOOPBACK": "true",
        "PYTHONUNBUFFERED": "1",
        # Search: the tiny hashing embedder (the e5 model would cost seconds per index job on two
        # shared cores); keyword ranking is the same. Milvus Lite lives in the temporary folder.
        "EMBEDDING_BACKEND": "hash",
        # scripts/test.sh turns index sync off for unit tests; the browser tests search for real.
        "SEARCH_INDEX_SYNC": "true",
        # As in production behind the web server: links name the web app's origin.
        "USE_X_FORWARDED_HOST": "true",
        "MILVUS_URI": str(tmp / "var" / "milvus.db"),
        # Google sign-in against the local fake (tests/support/fake_google.py).
        "GOOGLE_CLIENT_ID": GOOGLE_CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": "e2e-secret",
        "GOOGLE_AUTH_URL": f"{google.base_url}/auth",
        "GOOGLE_TOKEN_URL": f"{google.base_url}/token",
        "GOOGLE_JWKS_URL": f"{google.base_url}/certs",
    }
    for name in ("CACHE_URL", "REDIS_URL_CACHE"):
        env.pop(name, None)

    procs: list[subprocess.Popen[bytes]] = []
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
        )
        if migrate.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrate.stderr.decode()[-3000:]}")
        _build_web(tmp / "next-build.log")

        api_log = tmp / "django.log"
        procs.append(
            _start(
                [
                    str(VENV_BIN / "uvicorn"),
                    "tangerine.config.asgi:application",
                    "--app-dir",
                    "src",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(api_port),
                    "--ws",
                    "websockets",
                    "--ws-per-message-deflate",
                    "false",
                ],
                cwd=ROOT,
                env=env,
                log=api_log,
            )
        )
        web_log = tmp / "next.log"
        # API_ORIGIN: where server.mjs proxies /api/, /media/, /ws/ and server components fetch.
        web_env = {
            **env,
            "NEXT_DIST_DIR": DIST_DIR,
            "NEXT_TELEMETRY_DISABLED": "1",
            "API_ORIGIN": api_origin,
            "PORT": str(web_port),
            "HOSTNAME": "127.0.0.1",
            "NODE_ENV": "production",
        }
        procs.append(
            _start(
                ["node", "server.mjs"],  # as `make run` (scripts/run.sh) serves the web app
                cwd=WEB,
                env=web_env,
                log=web_log,
            )
        )
        _wait_http(f"{api_origin}/api/health/", procs[0], api_log)
        base_url = f"http://127.0.0.1:{web_port}"
        # Through the proxy: proves the rewrites point at this run's Django.
        _wait_http(f"{base_url}/api/health/", procs[1], web_log)
        yield Servers(base_url=base_url, api_url=api_origin, tmp=tmp, env=env, google=google)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        google.stop()
        if os.environ.get("E2E_KEEP_TMP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(servers: Servers) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser: Any, servers: Servers) -> Iterator[Any]:
    """Opens pages in fresh browser contexts (separate localStorage: separate users)."""
    contexts: list[Any] = []

    def make(*, locale: str = "ko-KR", width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(
            base_url=servers.base_url, locale=locale, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@dataclass
class Account:
    email: str
    handle: str
    password: str
    access: str
    refresh: str


def unique_handle(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def make_account(servers: Servers) -> Any:
    """Creates a user over the API (quicker than the sign-up page when it is not under test)."""

    def make(prefix: str = "user", display_name: str = "") -> Account:
        return register_account(servers, prefix, display_name)

    return make


def register_account(servers: Servers, prefix: str = "user", display_name: str = "") -> Account:
    """A new account with a unique handle, registered over the API (module-scoped fixtures call
    this; tests use the ``make_account`` fixture)."""
    handle = unique_handle(prefix)
    email = f"{handle}@example.com"
    with servers.api() as client:
        res = client.post(
            "/api/accounts/registration/",
            json={
                "email": email,
                "handle": handle,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": display_name,
            },
        )
    assert res.status_code in (200, 201), res.text
    body = res.json()
    return Account(email, handle, PASSWORD, body["access"], body["refresh"])


def make_staff(servers: Servers, handle: str) -> None:
    """Turns an account into staff, in the e2e database, with a management command."""
    code = (
        "from tangerine.accounts.models import User; "
        f"assert User.objects.filter(handle={handle!r}).update(is_staff=True) == 1"
    )
    result = subprocess.run(  # noqa: S603 (fixed command, handle from the test)
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=servers.env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]


def ui_login(page: Any, account: Account) -> None:
    """Signs in through the login page in Korean (the labels below), whatever the browser's
    language: the server renders the `lang` cookie's language, else Accept-Language's, so an
    en-US browser is pinned to Korean for the login (and unpinned afterwards)."""
    page.goto("/login")
    pinned = page.evaluate("document.documentElement.lang") != "ko"
    if pinned:
        page.evaluate("document.cookie = 'lang=ko; Path=/'")
        page.goto("/login")
    page.get_by_label("이메일", exact=True).fill(account.email)
    page.get_by_label("비밀번호", exact=True).fill(account.password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(lambda url: "/login" not in url)
    if pinned:
        page.evaluate("document.cookie = 'lang=; Max-Age=0; Path=/'")
