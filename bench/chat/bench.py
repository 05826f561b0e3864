"""Chat end to end: stored, acknowledged and delivered, beside a no-database floor, one run.

For each channel layer (Redis core; Pulsar through a local pulsar-lite):

1. One uvicorn process (``bench/chat/asgi.py``: the product plus the floor consumer) on
   PostgreSQL, pinned to core 0; a load process (``load.py``) pinned to core 1.
2. ``--rooms`` rooms of 10 authenticated sockets (one-time tickets, as the web app does);
   ``--rate`` messages/s in total for ``--seconds``, spread over every socket: send→ack and
   send→delivery (each of the 9 other members) p50/p99, deliveries still missing ``--grace``
   seconds after the last send, the server's CPU per message and its PostgreSQL/Redis
   connections mid-run.
3. A rate search (``--search``, each step ``--search-seconds``) up to the first step that is
   not sustainable (delivery p99 ≥ 100 ms, anything missing, or the load could not send the
   rate): the highest sustainable rate.
4. The same clients, same steps, against the floor (``/ws/floor/``: ack and one group_send,
   no database) in the same server process: the ratio is what our chat path costs.

    .venv/bin/python bench/chat/bench.py                      # both layers, ~2-3 min
    .venv/bin/python bench/chat/bench.py --layers redis --rooms 2 --seconds 1 --search ""
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.chat import harness, procstat  # noqa: E402

RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")


def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        harness.load_command(),
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"load process failed: {proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def phases(args: argparse.Namespace) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    main = [{"rate": args.rate, "seconds": args.seconds}]
    search = [
        {"rate": float(r), "seconds": args.search_seconds} for r in args.search.split(",") if r
    ]
    return main, search


def measure_layer(
    args: argparse.Namespace, layer: str, layer_url: str, db_url: str, log: Path
) -> dict[str, Any]:
    from django.db import connection

    env = harness.chat_env(db_url, layer_url, tempfile.mkdtemp(prefix="bench-chat-"))
    members = harness.make_rooms(
        rooms=args.rooms, tag=f"c{os.getpid()}{layer[:2]}{int(time.time()) % 10000}"
    )
    connection.close()
    main, search = phases(args)
    out: dict[str, Any] = {"layer": layer}
    with harness.server(env, log) as (port, pid):
        conns_idle = procstat.connections(pid, harness.ports(db_url))
        base = {
            "url": f"ws://127.0.0.1:{port}",
            "origin": f"http://127.0.0.1:{port}",
            "grace": args.grace,
            "server_pid": pid,
            "ports": harness.ports(db_url),
        }
        for impl in args.order.split(","):

            def clients(impl: str = impl) -> list[dict[str, str]]:
                """Fresh one-time tickets for every load process (a ticket opens one socket)."""
                if impl == "floor":
                    return [
                        {"path": f"/ws/floor/?room={m['room']}", "room": m["room"]} for m in members
                    ]
                issued = harness.tickets([m["user"] for m in members])
                connection.close()
                return [
                    {"path": f"/ws/chat/?ticket={t}", "room": m["room"]}
                    for t, m in zip(issued, members, strict=True)
                ]

            run = run_load({**base, "clients": clients(), "phases": main, "search_phases": search})
            steady = [p for p in run["phases"] if not p["search"]]
            found = {"phases": [p for p in run["phases"] if p["search"]]}
            passing = [p["rate"] for p in found["phases"] if p["sustainable"]]
            out[impl] = {
                "steady": steady[0],
                "open_seconds": run["open_seconds"],
                "search": found["phases"],
                "max_sustainable_rate": max(passing) if passing else None,
                "search_capped": bool(found["phases"])
                and all(p["sustainable"] for p in found["phases"]),
            }
        time.sleep(1.0)
        out["server_connections"] = {
            "idle_before": conns_idle,
            "after": procstat.connections(pid, harness.ports(db_url)),
            "pool_max": int(env["DATABASE_POOL_MAX_SIZE"]),
        }
        out["server_threads_after"] = procstat.threads(pid)
    return out


def table(results: list[dict[str, Any]], rate: float) -> list[str]:
    lines = [
        f"| layer | path | {rate:g} msg/s: ack p50 / p99 ms | delivery p50 / p99 ms | missing "
        "| slowest second's delivery p99 / load's longest stall ms | server CPU ms/msg "
        "| PG / Redis conns mid-run | max sustainable msg/s | **chat/floor** |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['layer']} | **failed**: see the JSON | | | | | | | | |")
            continue
        floor = r.get("floor", {}).get("max_sustainable_rate")
        for impl in ("chat", "floor"):
            if impl not in r:
                continue
            s = r[impl]["steady"]
            rate_max = r[impl]["max_sustainable_rate"]
            capped = "≥ " if r[impl]["search_capped"] else ""
            ratio = f"**{rate_max / floor:.2f}**" if impl == "chat" and rate_max and floor else ""
            conns = s["server_connections_during"]
            seconds = s.get("timeline") or []  # results before the timeline was recorded
            slowest = max(
                (t["delivery_p99_ms"] for t in seconds if t["delivery_p99_ms"] is not None),
                default=None,
            )
            stall = s.get("load_stalls", {}).get("loop_late_max_ms")
            lines.append(
                f"| {r['layer']} | {impl} | {s['ack_p50_ms']} / {s['ack_p99_ms']} | "
                f"{s['delivery_p50_ms']} / {s['delivery_p99_ms']} | {s['missing_deliveries']} of "
                f"{s['expected_deliveries']} | {slowest if slowest is not None else '-'} / "
                f"{stall if stall is not None else '-'} | {s['server_cpu_ms_per_message']} | "
                f"{conns.get('postgresql', '?')} / {conns.get('redis', '?')} | "
                f"{capped}{rate_max} | {ratio} |"
            )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "tangerine_bench"))
    parser.add_argument("--layers", default="redis,pulsar")
    parser.add_argument("--rooms", type=int, default=10, help="rooms of 10 sockets")
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s in total")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--grace", type=float, default=5.0, help="wait after the last send")
    parser.add_argument("--search", default="50,100,150,200,300,400,600,800,1000,1200,1600")
    parser.add_argument("--search-seconds", type=float, default=3.0)
    parser.add_argument("--order", default="chat,floor", help="which path is measured first")
    parser.add_argument("--output", default=str(RESULTS / "chat.json"))
    parser.add_argument(
        "--note", default="machine shared with other work", help="what the results table says"
    )
    args = parser.parse_args(argv)
    db_url = harness.database_url(args.db)
    var_dir = tempfile.mkdtemp(prefix="bench-chat-")
    env = harness.chat_env(db_url, "memory://", var_dir)
    harness.prepare_database(db_url, env)
    harness.setup_django(env)
    load_before = os.getloadavg()
    log = Path(var_dir) / "server.log"
    results = []
    with ExitStack() as stack:
        for layer in args.layers.split(","):
            if layer == "pulsar":
                url = stack.enter_context(harness.pulsar_broker())
            elif layer == "redis":
                url = harness.REDIS_URL
            else:
                raise SystemExit(f"unknown layer {layer!r}")
            print(f"--- {layer}", flush=True)
            try:
                results.append(measure_layer(args, layer, url, db_url, log))
            except RuntimeError as exc:  # one layer failing still reports the others
                print(f"{layer} failed: {str(exc)[-600:]}", flush=True)
                results.append({"layer": layer, "error": str(exc)[-3000:]})
    result = {
        "benchmark": "chat",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "note": args.note,
        "rooms": args.rooms,
        "sockets": args.rooms * harness.ROOM_SIZE,
        "rate": args.rate,
        "seconds": args.seconds,
        "grace_s": args.grace,
        "cpus": os.cpu_count(),
        "pinned": bool(harness.pin(0)),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "layers": results,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    print(
        f"{result['sockets']} sockets in rooms of 10, {args.rate:g} msg/s for {args.seconds:g} s; "
        f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after; "
        f"server and load pinned apart: {result['pinned']}"
    )
    print("\n".join(table(results, args.rate)))
    for r in results:
        if "server_connections" in r:
            print(f"{r['layer']}: server connections {r['server_connections']}")
    if any("error" in r for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
