"""A small closed-loop HTTP/1.1 load generator (asyncio streams, keep-alive).

``connections`` clients each send a request, read the whole response, and send the next, for
``duration`` seconds after ``warmup`` seconds; requests cycle through ``targets`` (path and
headers). Prints one JSON line: requests, seconds, requests/s, latency p50/p90/p99/max in ms,
and counts by status. Plain sockets keep the generator's own cost per request far below an
HTTP client library's (``wrk``/``oha`` are not on PyPI), so one core drives one server core.

    python bench/api/loadgen.py '{"port": 8000, "targets": [["/api/posts/latest/", {}]],
                                  "connections": 8, "duration": 3, "warmup": 0.5}'
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
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
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while True:
            sent = time.perf_counter()
            if sent >= stop_at:
                break
            writer.write(requests[i % len(requests)])
            i += 1
            try:
                status = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                statuses[-1] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            total[0] += 1
            if sent >= start_at:
                latencies.append((time.perf_counter() - sent) * 1000)
                statuses[status] += 1
    finally:
        writer.close()


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
    seconds = max(time.perf_counter() - start_at, 1e-9)
    return {
        "connections": connections,
        "requests": len(latencies),
        "total_requests": total[0],
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p90_ms": round(percentile(latencies, 0.90), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies, default=0.0), 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))), flush=True)
