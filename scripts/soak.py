#!/usr/bin/env python3
"""Soak: mixed traffic on loopback for a bounded time; reports errors and server memory.

    .venv/bin/python scripts/soak.py --spawn sqlite --duration 600          # make run's defaults
    .venv/bin/python scripts/soak.py --spawn postgres --processes 2 --duration 600
    .venv/bin/python scripts/soak.py --base http://127.0.0.1:8000 --pid 1234 --duration 600

Virtual users register, then loop over a weighted mix until the time is up: browse (latest
posts, feed, a post, search), post, like, comment, and chat (a message over the WebSocket,
waiting for its ack). ``--spawn`` starts the API itself (uvicorn, as ``make api`` does) in a
temporary folder: ``sqlite`` is the embedded default of ``make run`` (SQLite, local memory
cache and channel layer, thread job backend), ``postgres`` takes ``DATABASE_URL``,
``CACHE_URL`` and ``CHANNEL_LAYER_URL`` from the environment and starts ``--processes``
servers (requests go round-robin). The limits meant for strangers (registrations per address,
per-user throttles) are raised for the spawned servers, since every virtual user comes from
127.0.0.1; against ``--base`` set them yourself (RELIABILITY.md).

Errors are: answers 5xx, transport failures, unexpected 4xx (a 429 counts), chat sends without
an ack within 10 s. Memory: the resident size of the server processes (``--pid`` or the spawned
ones) every 5 s; growth compares the mean of the last three samples with the first sample after
the warm-up (the first 20 % of the run). Exit status 1 when there was any error or the memory
grew more than ``--max-growth`` (10 %).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
ACK_TIMEOUT = 10.0
RELAXED_LIMITS = {
    "RATE_LIMIT_REGISTRATION": "100000/60",
    "RATE_LIMIT_LOGIN": "100000/60",
    "RATE_LIMIT_EVENTS": "100000/60",
    "THROTTLE_ANON": "100000/min",
    "THROTTLE_USER": "100000/min",
}
MIX = {"browse": 50, "post": 8, "like": 15, "comment": 12, "chat": 15}


class Stats:
    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.examples: list[str] = []

    def ok(self, action: str, seconds: float) -> None:
        self.count[action] += 1
        self.samples[action].append(seconds)

    def error(self, action: str, what: str) -> None:
        self.count[action] += 1
        self.errors[f"{action}: {what}"] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{action}: {what}")


class Servers:
    """API processes started by this script (``--spawn``), stopped at the end."""

    def __init__(self, kind: str, processes: int, first_port: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tangerine-soak-"))
        self.env = {
            **os.environ,
            **RELAXED_LIMITS,
            "DEBUG": os.environ.get("DEBUG", "true"),
            "OMP_NUM_THREADS": "1",
            "TANGERINE_VAR_DIR": str(self.folder / "var"),
            "PYTHONPATH": str(ROOT / "src"),
        }
        if kind == "sqlite":
            for name in ("DATABASE_URL", "CACHE_URL", "CHANNEL_LAYER_URL"):
                self.env.pop(name, None)
            self.env["TASKS_BACKEND"] = "thread"
            processes = 1  # the embedded default is one process
        elif not os.environ.get("DATABASE_URL"):
            sys.exit("--spawn postgres needs DATABASE_URL (and CACHE_URL, CHANNEL_LAYER_URL)")
        self.helpers: list[subprocess.Popen[bytes]] = []
        if processes > 1 and "://" not in os.environ.get("MILVUS_URI", ""):
            # A Milvus Lite file is for one process: share a Milvus Lite server instead.
            port = _free_port()
            self.helpers.append(
                subprocess.Popen(  # noqa: S603 - our own command
                    [
                        str(Path(sys.executable).parent / "milvus-lite"),
                        "server",
                        "--data-dir",
                        str(self.folder / "milvus"),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                    ],
                    stdout=(self.folder / "milvus.log").open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
            self.env["MILVUS_URI"] = f"http://127.0.0.1:{port}"
            _wait_port(port, time.monotonic() + 60)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.processes: list[subprocess.Popen[bytes]] = []
        self.bases: list[str] = []
        for n in range(processes):
            port = first_port + n
            log = (self.folder / f"api{n}.log").open("wb")
            self.processes.append(
                subprocess.Popen(  # noqa: S603 - our own command
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "tangerine.config.asgi:application",
                        "--app-dir",
                        "src",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--ws",
                        "websockets",
                        "--ws-per-message-deflate",
                        "false",
                        "--no-proxy-headers",
                        "--ws-max-size",
                        "65536",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            self.bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 90
        for base in self.bases:
            while True:
                try:
                    if httpx.get(f"{base}/api/health/live", timeout=2).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    sys.exit(f"{base} did not start; logs in {self.folder}")
                time.sleep(0.3)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def server_errors(self) -> int:
        """Exceptions that escaped to the ASGI server (a request or a socket ended by a crash),
        and requests Django answered with a 500. (Libraries' own logged tracebacks, such as
        Milvus Lite's "Method not implemented" on start, are not counted.)"""
        return sum(
            text.count("Exception in ASGI application") + text.count("ERROR django.request")
            for text in (path.read_text(errors="replace") for path in self.folder.glob("api*.log"))
        )

    def stop(self) -> None:
        for process in self.processes + self.helpers:
            process.terminate()
        for process in self.processes + self.helpers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.folder / "var", ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"nothing listens on {port}")


def rss_kib(pid: int) -> int:
    """Resident size of ``pid`` and its children (uvicorn has none here), KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class User:
    def __init__(self, base: str, client: httpx.AsyncClient, n: int) -> None:
        self.base = base
        self.client = client
        self.handle = f"soak_{uuid.uuid4().hex[:10]}"
        self.n = n
        self.token = ""
        self.refresh = ""
        self.room = ""
        self.ws: Any = None
        self.sent = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def call(
        self,
        stats: Stats,
        action: str,
        method: str,
        path: str,
        body: Any = None,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> Any:
        started = time.perf_counter()
        try:
            response = await self.client.request(
                method,
                f"{self.base}{path}",
                json=body,
                headers=self.headers if self.token else {},
                timeout=30,
            )
            if response.status_code == 401 and self.refresh and await self.refreshed(stats):
                # the access token expired (5 minutes): refreshed as the web app does, once
                response = await self.client.request(
                    method, f"{self.base}{path}", json=body, headers=self.headers, timeout=30
                )
        except httpx.HTTPError as exc:
            stats.error(action, f"{type(exc).__name__}")
            return None
        if response.status_code not in ok:
            stats.error(action, f"{method} {path.split('?')[0]} -> {response.status_code}")
            return None
        stats.ok(action, time.perf_counter() - started)
        return response.json() if response.content else {}

    async def register(self, stats: Stats) -> bool:
        body = {
            "email": f"{self.handle}@soak.example",
            "handle": self.handle,
            "password1": "soak-test-passphrase-1",
            "password2": "soak-test-passphrase-1",
        }
        answer = await self.call(stats, "register", "POST", "/api/accounts/registration/", body)
        if answer:
            self.token, self.refresh = answer["access"], answer["refresh"]
        return bool(answer)

    async def refreshed(self, stats: Stats) -> bool:
        try:
            response = await self.client.post(
                f"{self.base}/api/accounts/token/refresh/",
                json={"refresh": self.refresh},
                timeout=30,
            )
        except httpx.HTTPError as exc:
            stats.error("refresh", type(exc).__name__)
            return False
        if response.status_code != 200:
            stats.error("refresh", f"-> {response.status_code}")
            return False
        stats.ok("refresh", response.elapsed.total_seconds())
        pair = response.json()
        self.token, self.refresh = pair["access"], pair["refresh"]
        return True

    async def chat_connect(self, stats: Stats) -> None:
        ticket = await self.call(stats, "chat", "POST", "/api/chats/ws-ticket/")
        if not ticket:
            return
        url = self.base.replace("http://", "ws://") + f"/ws/chat/?ticket={ticket['ticket']}"
        try:
            self.ws = await websockets.connect(
                url, origin=websockets.Origin(self.base), open_timeout=10
            )
        except Exception as exc:  # any failure to open is an error of the run
            stats.error("chat", f"connect {type(exc).__name__}")
            self.ws = None

    async def chat_send(self, stats: Stats) -> None:
        if not self.room:
            return
        if self.ws is None:
            await self.chat_connect(stats)
            if self.ws is None:
                return
        self.sent += 1
        client_id = f"{self.handle}-{self.sent}"
        started = time.perf_counter()
        try:
            await self.ws.send(
                json.dumps(
                    {
                        "type": "message.send",
                        "room": self.room,
                        "text": f"soak {self.sent}",
                        "client_id": client_id,
                    }
                )
            )
            deadline = time.monotonic() + ACK_TIMEOUT
            while True:
                frame = json.loads(
                    await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic()))
                )
                if frame.get("client_id") != client_id:
                    continue
                if frame["type"] == "message.ack":
                    stats.ok("chat", time.perf_counter() - started)
                else:
                    stats.error("chat", f"send answered {frame.get('code')}")
                return
        except TimeoutError:
            stats.error("chat", "no ack within 10 s")
        except websockets.ConnectionClosed as exc:
            stats.error("chat", f"socket closed {exc.rcvd.code if exc.rcvd else '?'}")
            self.ws = None


async def virtual_user(
    user: User, stats: Stats, end: float, posts: list[str], rng: random.Random
) -> None:
    actions, weights = zip(*MIX.items(), strict=True)
    while time.monotonic() < end:
        action = rng.choices(actions, weights)[0]
        if action == "browse":
            page = rng.choice(
                ["/api/posts/latest/", "/api/posts/feed/", "/api/search/?q=soak", "post"]
            )
            if page == "post":
                if posts:
                    await user.call(stats, "browse", "GET", f"/api/posts/p/{rng.choice(posts)}/")
            else:
                await user.call(stats, "browse", "GET", page)
        elif action == "post":
            answer = await user.call(
                stats,
                "post",
                "POST",
                "/api/posts/p/",
                {"title": "soak", "text": f"soak post {rng.random()} #soak"},
            )
            if answer:
                posts.append(answer["uuid"])
                del posts[:-500]
        elif action == "like" and posts:
            await user.call(
                stats,
                "like",
                "POST",
                "/api/likes/post-likes/",
                {"post": rng.choice(posts)},
                ok=(200, 201, 204, 409),
            )
        elif action == "comment" and posts:
            await user.call(
                stats,
                "comment",
                "POST",
                "/api/comments/",
                {"post": rng.choice(posts), "text": "soak comment"},
            )
        elif action == "chat":
            await user.chat_send(stats)
        await asyncio.sleep(rng.uniform(0.05, 0.3))
    if user.ws is not None:
        await user.ws.close()


async def run(args: argparse.Namespace, bases: list[str], pids: list[int]) -> dict[str, Any]:
    stats = Stats()
    rng = random.Random(args.seed)  # noqa: S311 - traffic mix, not secrets
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, so a request never goes
    # out on a connection the server is closing at that moment (a ReadError on a POST).
    limits = httpx.Limits(max_connections=args.users * 2, keepalive_expiry=3.0)
    memory: list[tuple[float, int]] = []
    async with httpx.AsyncClient(limits=limits) as client:
        users = [User(bases[n % len(bases)], client, n) for n in range(args.users)]
        registered = await asyncio.gather(*(user.register(stats) for user in users))
        users = [user for user, ok in zip(users, registered, strict=True) if ok]
        # chat rooms of two, each user in one
        for a, b in zip(users[::2], users[1::2], strict=False):
            room = await a.call(stats, "chat", "POST", "/api/chats/rooms/", {"members": [b.handle]})
            if room:
                a.room = b.room = room["uuid"]
        posts: list[str] = []
        started = time.monotonic()
        end = started + args.duration

        async def sample() -> None:
            while time.monotonic() < end:
                if pids:
                    memory.append((time.monotonic() - started, sum(rss_kib(pid) for pid in pids)))
                await asyncio.sleep(5)

        await asyncio.gather(
            sample(),
            *(virtual_user(user, stats, end, posts, random.Random(rng.random())) for user in users),  # noqa: S311
        )
    elapsed = time.monotonic() - started
    warm = [kib for t, kib in memory if t >= args.duration * 0.2]
    growth = None
    if len(warm) >= 4:
        growth = (statistics.mean(warm[-3:]) - warm[0]) / warm[0] * 100
    latencies = {
        action: {
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(sorted(values)[int(len(values) * 0.95) - 1] * 1000, 1)
            if len(values) >= 20
            else None,
        }
        for action, values in stats.samples.items()
        if values
    }
    return {
        "duration_s": round(elapsed, 1),
        "users": len(users),
        "requests": dict(stats.count),
        "requests_total": sum(stats.count.values()),
        "errors_total": sum(stats.errors.values()),
        "errors": dict(stats.errors),
        "error_examples": stats.examples,
        "latency": latencies,
        "rss_mib": {
            "first_after_warmup": round(warm[0] / 1024, 1) if warm else None,
            "last": round(memory[-1][1] / 1024, 1) if memory else None,
            "max": round(max(k for _, k in memory) / 1024, 1) if memory else None,
            "growth_percent": round(growth, 1) if growth is not None else None,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--base", action="append", help="an API server already running (repeatable)"
    )
    target.add_argument(
        "--spawn", choices=["sqlite", "postgres"], help="start the API servers here"
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="API processes with --spawn postgres"
    )
    parser.add_argument("--port", type=int, default=8100, help="first port with --spawn")
    parser.add_argument(
        "--pid", type=int, action="append", default=[], help="server pid to measure"
    )
    parser.add_argument("--duration", type=float, default=600, help="seconds of traffic (600)")
    parser.add_argument("--users", type=int, default=20, help="virtual users (20)")
    parser.add_argument("--max-growth", type=float, default=10.0, help="allowed memory growth %%")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()

    servers = Servers(args.spawn, args.processes, args.port) if args.spawn else None
    try:
        bases = servers.bases if servers else args.base
        pids = servers.pids if servers else args.pid
        report = asyncio.run(run(args, bases, pids))
        if servers is not None:
            report["server_unhandled_exceptions"] = servers.server_errors()
            report["server_logs"] = str(servers.folder)
    finally:
        if servers is not None:
            servers.stop()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    growth = report["rss_mib"]["growth_percent"]
    failed = (
        report["errors_total"] > 0
        or report.get("server_unhandled_exceptions", 0) > 0
        or (growth is not None and growth > args.max_growth)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
