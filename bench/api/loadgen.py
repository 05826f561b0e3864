"""A small closed-loop HTTP/1.1 load generator (asyncio streams, keep-alive).

``connections`` clients each send a request, read the whole response, and send the next, for
``duration`` seconds after ``warmup`` seconds; requests cycle through ``targets`` (path and
headers). Prints one JSON line: requests, seconds, requests/s, latency p50/p90/p99/max in ms,
and counts by status. Plain sockets keep the generator's own cost per request far below an
HTTP client library's (``wrk``/``oha`` are not on PyPI), so one core drives one server core.

    python bench/api/loadgen.py '{"port": 8000, "targets": [["/api/posts/latest/", {}]],
                                  "connections": 8, "duration": 3, "warmup": 0.5}'

With ``"sides"`` instead of ``"targets"`` (``{"drf": [[path, headers]], "peer": [...]}``), it
compares them in alternating slices over the same kept-alive connections: after ``warmup``
seconds split between the sides, ``pairs`` times one slice of ``slice`` seconds of each side,
in the order A B, then B A, and so on, so that a slow spell of a shared machine falls on both
sides alike. Each slice ends when its last request has been answered (none runs into the next
side's slice), and with ``"cpu_pids"`` it reads those processes' CPU time at both ends. Prints
one JSON line: ``{"slices": [...]}``, one entry per slice with its side and pair.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _request(host: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if length is not None:
        await reader.readexactly(length)
    elif chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _exchange(
    pool: list[Connection], c: int, host: str, port: int, request: bytes
) -> int | None:
    """Send ``request`` on ``pool[c]`` and read the answer: its status, or None when the
    connection broke (then ``pool[c]`` is a new one)."""
    reader, writer = pool[c]
    writer.write(request)
    try:
        return await _read_response(reader)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
        pool[c] = await asyncio.open_connection(host, port)
        return None


async def _client(
    host: str,
    port: int,
    requests: list[bytes],
    offset: int,
    start_at: float,
    stop_at: float,
    latencies: list[float],
    statuses: Counter[int],
    total: list[int],
) -> None:
    conn = [await asyncio.open_connection(host, port)]
    i = offset
    try:
        while True:
            sent = time.perf_counter()
            if sent >= stop_at:
                break
            status = await _exchange(conn, 0, host, port, requests[i % len(requests)])
            i += 1
            if status is None:
                statuses[-1] += 1
                continue
            total[0] += 1
            if sent >= start_at:
                latencies.append((time.perf_counter() - sent) * 1000)
                statuses[status] += 1
    finally:
        conn[0][1].close()


async def run(config: dict[str, Any]) -> dict[str, Any]:
    host = config.get("host", "127.0.0.1")
    requests = [_request(host, path, headers) for path, headers in config["targets"]]
    connections = int(config["connections"])
    now = time.perf_counter()
    start_at = now + float(config.get("warmup", 0.5))
    stop_at = start_at + float(config["duration"])
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    total = [0]  # every completed request, warm-up included (server CPU covers them all)
    await asyncio.gather(
        *(
            _client(
                host, config["port"], requests, c, start_at, stop_at, latencies, statuses, total
            )
            for c in range(connections)
        )
    )
    # Requests in flight at stop_at finish after it: count the time they really took.
    seconds = time.perf_counter() - start_at
    return {**_figures(connections, latencies, statuses, seconds), "total_requests": total[0]}


def _figures(
    connections: int, latencies: list[float], statuses: Counter[int], seconds: float
) -> dict[str, Any]:
    """What one measurement reports: requests/s over ``seconds``, latency percentiles."""
    return {
        "connections": connections,
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / max(seconds, 1e-9), 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p90_ms": round(percentile(latencies, 0.90), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies, default=0.0), 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of ``pids`` (``/proc/<pid>/stat``), in seconds."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def _slice(
    pool: list[Connection],
    host: str,
    port: int,
    requests: list[bytes],
    seconds: float,
) -> tuple[list[float], Counter[int], float]:
    """Every connection of ``pool`` sends ``requests`` in turn for ``seconds``; returns the
    latencies, the statuses and the time from the start to the last answer."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    start = time.perf_counter()
    stop_at = start + seconds

    async def client(c: int) -> None:
        i = c
        while time.perf_counter() < stop_at:
            sent = time.perf_counter()
            status = await _exchange(pool, c, host, port, requests[i % len(requests)])
            i += 1
            if status is None:
                statuses[-1] += 1
                continue
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses[status] += 1

    await asyncio.gather(*(client(c) for c in range(len(pool))))
    return latencies, statuses, time.perf_counter() - start


async def run_sides(config: dict[str, Any]) -> dict[str, Any]:
    host = config.get("host", "127.0.0.1")
    port = config["port"]
    sides = {
        name: [_request(host, path, headers) for path, headers in targets]
        for name, targets in config["sides"].items()
    }
    pids = [int(p) for p in config.get("cpu_pids", [])]
    pool = [await asyncio.open_connection(host, port) for _ in range(int(config["connections"]))]
    warmup = float(config.get("warmup", 0.5)) / len(sides)
    for requests in sides.values():
        await _slice(pool, host, port, requests, warmup)
    slices = []
    for pair in range(int(config["pairs"])):
        order = list(sides.items()) if pair % 2 == 0 else list(reversed(sides.items()))
        for name, requests in order:
            cpu_before = cpu_seconds(pids)
            latencies, statuses, seconds = await _slice(
                pool, host, port, requests, float(config["slice"])
            )
            cpu = cpu_seconds(pids) - cpu_before
            done = len(latencies)
            slices.append(
                {
                    "side": name,
                    "pair": pair,
                    **_figures(len(pool), latencies, statuses, seconds),
                    "total_requests": done,  # a slice ends when its last answer is in
                    "cpu_ms_per_request": round(cpu * 1000 / max(done, 1), 2) if pids else None,
                }
            )
    for _, writer in pool:
        writer.close()
    return {"slices": slices}


if __name__ == "__main__":
    config = json.loads(sys.argv[1])
    main = run_sides(config) if "sides" in config else run(config)
    print(json.dumps(asyncio.run(main)), flush=True)
