"""Channel layer benchmark: Pulsar layer beside channels_redis core and pub/sub, one run.

Scenarios, each across OS processes (the only setting where a channel layer matters):

* stream: one process sends N messages, one after another, to a channel of another process;
  throughput = messages / (last receive - first send); latency = receive time - send time.
* group: M group_send calls to a group of 1,000 channels spread over 4 processes (250 each);
  a message's latency is the time until its *last* member received it; throughput counts
  member deliveries per second.

Usage (from the repository root; Redis at 127.0.0.1:6379 db 7, pulsar-lite started here):
    .venv/bin/python bench/channels/bench.py [--layers pulsar,redis,redis_pubsub]
The whole run is bounded (about a minute on 2 shared cores); children give up after 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REDIS_URL = "redis://127.0.0.1:6379/7"
CHILD_TIMEOUT = 60.0


def build_layer(kind: str, pulsar_url: str, prefix: str) -> Any:
    # Capacity is raised everywhere: channels_redis counts it per process, and 250 members
    # in one process would otherwise be dropped at its default of 100.
    if kind == "pulsar":
        from channels_pulsar import PulsarChannelLayer

        return PulsarChannelLayer(pulsar_url, prefix=prefix, capacity=100_000)
    if kind == "redis":
        from channels_redis.core import RedisChannelLayer

        return RedisChannelLayer(hosts=[REDIS_URL], prefix=prefix, capacity=100_000)
    if kind == "redis_pubsub":
        from channels_redis.pubsub import RedisPubSubChannelLayer

        return RedisPubSubChannelLayer(hosts=[REDIS_URL], prefix=prefix)
    raise ValueError(kind)


async def close_layer(layer: Any) -> None:
    if hasattr(type(layer), "close_pools"):
        await layer.close_pools()
    elif type(layer).__name__ == "RedisPubSubChannelLayer":
        await layer.flush()
    else:
        await layer.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# Children ----------------------------------------------------------------------------------
async def child_stream(kind: str, url: str, prefix: str, count: int) -> dict[str, Any]:
    layer = build_layer(kind, url, prefix)
    channel = await layer.new_channel()
    print("READY", channel, flush=True)
    latencies, first_sent, last = [], None, 0.0
    for _ in range(count):
        message = await layer.receive(channel)
        last = time.time()
        latencies.append(last - message["t"])
        first_sent = first_sent or message["t"]
    await close_layer(layer)
    return {"latencies": latencies, "first_sent": first_sent, "last": last}


async def child_group(kind: str, url: str, prefix: str, members: int, count: int) -> dict[str, Any]:
    layer = build_layer(kind, url, prefix)
    channels = [await layer.new_channel() for _ in range(members)]
    for channel in channels:
        await layer.group_add("bench-room", channel)
    print("READY", len(channels), flush=True)
    done_at: dict[int, float] = {}  # message number -> time its last local member got it
    sent_at: dict[int, float] = {}

    async def member(channel: str) -> None:
        for _ in range(count):
            message = await layer.receive(channel)
            now = time.time()
            n = message["n"]
            sent_at[n] = message["t"]
            done_at[n] = max(done_at.get(n, 0.0), now)

    await asyncio.gather(*(member(c) for c in channels))
    await close_layer(layer)
    return {"done_at": done_at, "sent_at": sent_at}


def run_child(argv: list[str]) -> None:
    role, kind, url, prefix, *numbers = argv
    if role == "stream":
        coro = child_stream(kind, url, prefix, int(numbers[0]))
    else:
        coro = child_group(kind, url, prefix, int(numbers[0]), int(numbers[1]))
    result = asyncio.run(asyncio.wait_for(coro, CHILD_TIMEOUT))
    print("RESULT", json.dumps(result), flush=True)


# Parent ------------------------------------------------------------------------------------
async def spawn(*args: str) -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--child", *args, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().split()
    if line[:1] != ["READY"]:
        raise RuntimeError(f"child failed to start: {line}")
    return proc, line[1]


async def collect(proc: asyncio.subprocess.Process) -> dict[str, Any]:
    assert proc.stdout is not None
    out = (await asyncio.wait_for(proc.stdout.read(), CHILD_TIMEOUT + 5)).decode()
    await proc.wait()
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    raise RuntimeError(f"child returned no result: {out[-500:]}")


async def bench_stream(kind: str, url: str, count: int) -> dict[str, float]:
    prefix = f"bench{int(time.time() * 1000) % 10**8}s"
    proc, channel = await spawn("stream", kind, url, prefix, str(count))
    layer = build_layer(kind, url, prefix)
    for n in range(count):
        await layer.send(channel, {"type": "bench", "n": n, "t": time.time()})
    result = await collect(proc)
    await close_layer(layer)
    lat = result["latencies"]
    return {
        "rate": len(lat) / (result["last"] - result["first_sent"]),
        "p50": percentile(lat, 0.5) * 1000,
        "p99": percentile(lat, 0.99) * 1000,
    }


async def bench_group(
    kind: str, url: str, procs: int, members: int, count: int, gap: float
) -> dict[str, float]:
    prefix = f"bench{int(time.time() * 1000) % 10**8}g"
    children = [
        await spawn("group", kind, url, prefix, str(members), str(count)) for _ in range(procs)
    ]
    layer = build_layer(kind, url, prefix)
    send_costs = []
    started = time.time()
    for n in range(count):
        before = time.perf_counter()
        await layer.group_send("bench-room", {"type": "bench", "n": n, "t": time.time()})
        send_costs.append(time.perf_counter() - before)
        await asyncio.sleep(gap)  # paced: we measure fan-out latency, not queueing
    results = [await collect(proc) for proc, _ in children]
    await close_layer(layer)
    latencies = []
    finished = 0.0
    for n in range(count):
        key = str(n)
        done = max(r["done_at"][key] for r in results)
        latencies.append(done - results[0]["sent_at"][key])
        finished = max(finished, done)
    return {
        "deliveries_per_s": procs * members * count / (finished - started),
        "send_ms": statistics.median(send_costs) * 1000,
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
    }


async def main(args: argparse.Namespace) -> None:
    from pulsar_lite import start_broker

    broker = start_broker(str(Path(tempfile.mkdtemp(prefix="bench-pulsar-")) / "broker.db"))
    rows = []
    try:
        for kind in args.layers.split(","):
            url = broker.url
            try:
                stream = await bench_stream(kind, url, args.stream_count)
                group = await bench_group(
                    kind, url, args.procs, args.members // args.procs, args.group_count, args.gap
                )
            except Exception as exc:  # one layer failing must not hide the others' numbers
                print(f"# {kind}: FAILED {exc!r}", file=sys.stderr, flush=True)
                continue
            rows.append((kind, stream, group))
            print(f"# {kind}: stream {stream} group {group}", file=sys.stderr, flush=True)
    finally:
        broker.stop()
    print(
        f"\n| layer | stream msg/s | stream p50 ms | stream p99 ms | group_send call ms "
        f"| {args.members} members / {args.procs} procs: deliveries/s | p50 ms (last member) "
        "| p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, s, g in rows:
        print(
            f"| {kind} | {s['rate']:,.0f} | {s['p50']:.2f} | {s['p99']:.2f} | {g['send_ms']:.2f} "
            f"| {g['deliveries_per_s']:,.0f} | {g['p50']:.1f} | {g['p99']:.1f} |"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run_child(sys.argv[2:])
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", default="pulsar,redis,redis_pubsub")
    parser.add_argument("--stream-count", type=int, default=1000)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--group-count", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.05)
    asyncio.run(main(parser.parse_args()))
