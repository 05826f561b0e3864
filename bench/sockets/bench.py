"""Idle chat sockets: memory per authenticated socket at 1k and 5k in one process, and the
process's PostgreSQL and Redis connections while 5,000 sockets are open and after they close.

One uvicorn process (the product plus the floor consumer, ``bench/chat/asgi.py``; Redis
channel layer and cache, PostgreSQL with the default pool), pinned to core 0; a client process
(``load.py``) pinned to core 1 opens sockets with one-time tickets, as the web app does, in
rooms of 10. Per-socket memory = (RSS with N sockets open - RSS after a warm-up) / N. The floor:
the same number of unauthenticated sockets on the floor consumer (one group, no database), in
the same process after the chat sockets closed. Connections are counted from ``/proc``.

    .venv/bin/python bench/sockets/bench.py                  # 1,000 then 5,000 (~2 min)
    .venv/bin/python bench/sockets/bench.py --steps 50,100 --churn 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.chat import harness, procstat  # noqa: E402

RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")


class Clients:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [*harness.pin(1), sys.executable, str(ROOT / "bench" / "sockets" / "load.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the client process died")
        return dict(json.loads(line))

    def stop(self) -> None:
        try:
            self.ask(cmd="exit")
        finally:
            self.proc.wait(timeout=60)


def settle(seconds: float = 1.5) -> None:
    """Let the server finish handshakes and free what closed sockets held."""
    time.sleep(seconds)


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url = harness.database_url(args.db)
    var_dir = tempfile.mkdtemp(prefix="bench-sockets-")
    env = harness.chat_env(db_url, harness.REDIS_URL, var_dir)
    harness.prepare_database(db_url, env)
    harness.setup_django(env)
    from django.db import connection

    steps = [int(s) for s in args.steps.split(",")]
    members = harness.make_rooms(rooms=10, tag=f"s{os.getpid()}{int(time.time()) % 10000}")
    connection.close()
    ports = harness.ports(db_url)
    rows: list[dict[str, Any]] = []
    churn: list[dict[str, Any]] = []
    with harness.server(env, Path(var_dir) / "server.log") as (port, pid):
        base = {"url": f"ws://127.0.0.1:{port}", "origin": f"http://127.0.0.1:{port}"}
        clients = Clients()

        def chat_paths(n: int) -> list[str]:
            users = [members[i % len(members)]["user"] for i in range(n)]
            paths = [f"/ws/chat/?ticket={t}" for t in harness.tickets(users)]
            connection.close()
            return paths

        def sample(label: str, kind: str, open_now: int, baseline: int) -> dict[str, Any]:
            rss = procstat.rss_kib(pid)
            row = {
                "state": label,
                "kind": kind,
                "sockets": open_now,
                "rss_mib": round(rss / 1024, 1),
                "kib_per_socket": round((rss - baseline) / open_now, 1) if open_now else None,
                "connections": procstat.connections(pid, ports),
                "threads": procstat.threads(pid),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            return row

        try:
            # Warm-up: every code path of both kinds of socket runs once before the baselines.
            def floor_paths(n: int) -> list[str]:
                return [f"/ws/floor/?room={members[i % len(members)]['room']}" for i in range(n)]

            clients.ask(cmd="open", paths=chat_paths(20) + floor_paths(20), **base)
            clients.ask(cmd="close")
            settle()
            # The floor first (its sockets free less than chat sockets would hand it back):
            # sockets that hold nothing but one group, in the same process.
            floor_base = procstat.rss_kib(pid)
            sample("idle, after warm-up", "floor", 0, floor_base)
            clients.ask(cmd="open", paths=floor_paths(steps[0]), **base)
            settle()
            sample(f"{steps[0]:,} floor sockets open", "floor", steps[0], floor_base)
            clients.ask(cmd="close")
            settle()
            baseline = procstat.rss_kib(pid)
            sample("floor closed: the chat baseline", "chat", 0, baseline)
            opened = 0
            for n in steps:
                answer = clients.ask(cmd="open", paths=chat_paths(n - opened), **base)
                opened += answer["opened"]
                settle()
                row = sample(f"{n:,} open", "chat", opened, baseline)
                row.update(open_seconds=answer["seconds"], failed=answer["failed"])
            clients.ask(cmd="close")
            settle(3.0)
            sample(f"after {opened:,} closed", "chat", 0, baseline)
            for round_ in range(args.churn):
                answer = clients.ask(cmd="open", paths=chat_paths(steps[-1]), **base)
                during = procstat.connections(pid, ports)
                clients.ask(cmd="close")
                settle(3.0)
                churn.append(
                    {
                        "round": round_ + 1,
                        "opened": answer["opened"],
                        "connections_open": during,
                        "connections_after": procstat.connections(pid, ports),
                        "rss_mib": round(procstat.rss_kib(pid) / 1024, 1),
                    }
                )
                print(json.dumps(churn[-1]), flush=True)
        finally:
            clients.stop()
    # What the process may hold at most: its PostgreSQL pool and the Redis pools of its
    # channel layer and its cache.
    bounds = {
        "postgresql": int(env["DATABASE_POOL_MAX_SIZE"]),
        "redis": int(env["CHANNEL_LAYER_MAX_CONNECTIONS"]) + int(env["CACHE_MAX_CONNECTIONS"]),
    }
    return {"rows": rows, "churn": churn, "bounds": bounds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "tangerine_bench"))
    parser.add_argument(
        "--steps",
        default=os.environ.get("BENCH_SOCKETS_STEPS", "1000,5000"),
        help="sockets open at each sample (BENCH_SOCKETS_STEPS)",
    )
    parser.add_argument("--churn", type=int, default=1, help="more open-all/close-all rounds")
    parser.add_argument("--output", default=str(RESULTS / "sockets.json"))
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    result = run(args)
    result.update(
        benchmark="sockets",
        date=time.strftime("%Y-%m-%d %H:%M"),
        note="machine shared with other work",
        pinned=bool(harness.pin(0)),
        load_average=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
    )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    print(
        f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after; "
        f"server and clients pinned apart: {result['pinned']}"
    )
    print(
        "| state | sockets | server RSS MiB | KiB per socket | PG conns | Redis conns | threads |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in result["rows"]:
        c = r["connections"]
        print(
            f"| {r['state']} | {r['sockets']:,} | {r['rss_mib']} | {r['kib_per_socket'] or '—'} "
            f"| {c['postgresql']} | {c['redis']} | {r['threads']} |"
        )
    for c in result["churn"]:
        print(
            f"churn round {c['round']}: {c['opened']:,} opened; PG/Redis while open "
            f"{c['connections_open']['postgresql']}/{c['connections_open']['redis']}, after close "
            f"{c['connections_after']['postgresql']}/{c['connections_after']['redis']}"
        )


if __name__ == "__main__":
    main()
