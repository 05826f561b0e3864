"""The REST API under load, beside a plain-Django peer running the same queries, one run.

1. Data: ``bench/data/generate.py`` into ``--db`` (sizes scaled from ``--posts``; ``--reuse``
   keeps what is there).
2. In this process (Django test client): every endpoint's queries per request, for DRF and
   for the peer, and a check that both answer the same JSON.
3. One uvicorn process (``DEBUG=false``, throttles raised, Redis cache as in production), or
   ``--processes`` worker processes under its supervisor, pinned to core 0; the load
   generator (``loadgen.py``) pinned to core 1. For each endpoint and connection count,
   ``--duration`` seconds of DRF and of the peer in ``--rounds`` pairs of alternating slices
   over the same connections, each slice measured as requests/s, p50/p99 and the server's
   CPU ms per request (``/proc/<pid>/stat`` deltas of uvicorn and its children); medians over
   the rounds, and the median of each round's DRF/peer ratio.
4. ``bench/results/api.json`` (with the load average) and ``bench/report.py`` refreshes the
   README table and plots.

    .venv/bin/python bench/api/run.py --posts 2000
    .venv/bin/python bench/api/run.py --posts 2000 --reuse --connections 1,8 --duration 2
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.chat import procstat  # noqa: E402
from bench.data import generate as data  # noqa: E402

RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123"  # noqa: S105
JWT_KEY = "bench-only-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz"

# name -> (DRF path, peer path or None, viewer handle or None)
SORTS = ("latest", "price_asc", "price_desc", "popular")


def server_env(db_url: str, var_dir: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.api.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        "DATABASE_URL": db_url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": SECRET,
        "JWT_SIGNING_KEY": JWT_KEY,
        "JWT_ACCESS_SECONDS": "7200",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "THROTTLE_ANON": "1000000/min",
        "THROTTLE_USER": "1000000/min",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "SEARCH_INDEX_SYNC": "false",
        "SEARCH_WARM_AT_START": "false",
        "EMBEDDING_BACKEND": "hash",
        "LINK_CHECK_EVERY": "0",
        "TASKS_BACKEND": "immediate",
        "OMP_NUM_THREADS": "1",
        "TANGERINE_VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }


def endpoints(sample: dict[str, Any]) -> dict[str, tuple[str, str | None, str | None]]:
    out: dict[str, tuple[str, str | None, str | None]] = {
        "feed": ("/api/posts/feed/", "/peer/posts/feed/", "few"),
        "latest": ("/api/posts/latest/", "/peer/posts/latest/", "few"),
        "post_detail": (
            f"/api/posts/p/{sample['post']}/",
            f"/peer/posts/p/{sample['post']}/",
            "few",
        ),
        "comments": (
            f"/api/comments/?post={sample['post']}",
            f"/peer/comments/?post={sample['post']}",
            "few",
        ),
    }
    for sort in SORTS:
        out[f"products_{sort}"] = (
            f"/api/products/?sort={sort}",
            f"/peer/products/?sort={sort}",
            "few",
        )
    out["notifications"] = ("/api/notifications/", "/peer/notifications/", "popular")
    out["search_users"] = ("/api/search/?q=user&type=user", "/peer/search/?q=user&type=user", "few")
    out["hello"] = ("/bench/hello/", "/peer/hello/", "few")  # DRF's fixed cost (peer.py)
    return out


def setup(db_url: str, var_dir: str) -> None:
    os.environ.update(server_env(db_url, var_dir))
    import django

    django.setup()


def in_process(db: str, prefix: str) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Django set up as the bench server on ``db`` (in this process): the sample objects, the
    endpoints and a test client, for the in-process tools (``cpu_compare``, ``cpu_profile``)."""
    setup(f"postgres://postgres@127.0.0.1:5432/{db}", tempfile.mkdtemp(prefix=prefix))
    from django.test import Client

    sample = sample_objects()
    return sample, endpoints(sample), Client()


def sample_objects() -> dict[str, Any]:
    """Tokens of the viewers, and the post with the most comments among the newest 200."""
    from django.db.models import Count

    from tangerine.accounts.models import User
    from tangerine.accounts.tokens import tokens_for_user
    from tangerine.notifications.models import Notification
    from tangerine.posts.models import Post

    popular_id = (
        Notification.objects.values("recipient")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("recipient", flat=True)
        .first()
    )
    users = {
        "none": User.objects.get(handle="u0"),
        "few": User.objects.get(handle="u1"),
        "many": User.objects.get(handle="u2"),
        "popular": User.objects.get(pk=popular_id) if popular_id else User.objects.get(handle="u0"),
    }
    recent = Post.objects.order_by("-created_at")[:200]
    post = max(recent, key=lambda p: (p.comment_count, p.pk))
    return {
        "tokens": {k: tokens_for_user(user=u)["access"] for k, u in users.items()},
        "post": str(post.uuid),
        "post_comments": post.comment_count,
    }


def as_api(body: Any) -> Any:
    """``body`` with the peer's own links (``next``, a search section's ``next``) as the API's:
    the only difference a peer's answer may have."""
    if isinstance(body, dict):
        return {key: as_api(value) for key, value in body.items()}
    if isinstance(body, list):
        return [as_api(value) for value in body]
    if isinstance(body, str) and body.startswith("http") and "/peer/" in body:
        return body.replace("/peer/", "/api/", 1)
    return body


def inspect(eps: dict[str, Any], sample: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Queries per request (second request, warm) and whether DRF and peer answer alike."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out: dict[str, dict[str, Any]] = {}
    for name, (drf, peer, viewer) in eps.items():
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}
        row: dict[str, Any] = {}
        bodies = {}
        for impl, path in (("drf", drf), ("peer", peer)):
            if path is None:
                continue
            client.get(path, headers=headers)  # warm (caches, view counting)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, headers=headers)
            row[f"{impl}_status"] = response.status_code
            row[f"{impl}_queries"] = len(ctx.captured_queries)
            bodies[impl] = as_api(response.json())
        if "peer" in bodies:
            row["same_json"] = bodies["drf"] == bodies["peer"]
        out[name] = row
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pin(core: int) -> list[str]:
    if os.cpu_count() and (os.cpu_count() or 1) > 1 and Path("/usr/bin/taskset").exists():
        return ["taskset", "-c", str(core)]
    return []


def start_server(env: dict[str, str], port: int, processes: int = 1) -> subprocess.Popen[bytes]:
    """uvicorn on core 0; with ``processes`` > 1, that many worker processes under uvicorn's
    supervisor, all on core 0 (the load generator has core 1)."""
    cmd = [
        *pin(0),
        str(ROOT / ".venv" / "bin" / "uvicorn"),
        "tangerine.config.asgi:application",
        "--app-dir", "src", "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", "--no-proxy-headers", "--ws-per-message-deflate", "false",
        "--log-level", "warning",
        *(["--workers", str(processes)] if processes > 1 else []),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})
    deadline = time.monotonic() + 300  # a loaded shared machine imports slowly
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("uvicorn did not start in 300 s")


def _loadgen(config: dict[str, Any], timeout: float) -> dict[str, Any]:
    out = subprocess.run(
        [*pin(1), sys.executable, str(ROOT / "bench" / "api" / "loadgen.py"), json.dumps(config)],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def load(
    port: int, targets: list[tuple[str, dict[str, str]]], conns: int, duration: float
) -> dict[str, Any]:
    config = {
        "port": port,
        "targets": targets,
        "connections": conns,
        "duration": duration,
        "warmup": min(0.5, duration / 2),
    }
    return _loadgen(config, duration + 120)


def load_sides(
    port: int,
    pid: int,
    sides: dict[str, list[tuple[str, dict[str, str]]]],
    conns: int,
    duration: float,
    pairs: int,
) -> list[dict[str, Any]]:
    """``duration`` seconds of each side, in ``pairs`` alternating slices over the same
    connections (``loadgen.py``), with the server's CPU per slice."""
    config = {
        "port": port,
        "sides": sides,
        "connections": conns,
        "pairs": pairs,
        "slice": duration / pairs,
        "warmup": 0.5,
        "cpu_pids": procstat.process_tree(pid),
    }
    slices: list[dict[str, Any]] = _loadgen(config, 2 * duration + 120)["slices"]
    return slices


def connections_open() -> dict[str, int]:
    """PostgreSQL sessions on the bench database (besides this process's own) and Redis
    clients on the server's cache database: a pool keeps both bounded however long it runs
    (issue 17 saw a new PostgreSQL session per request)."""
    import redis
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pg = int(cursor.fetchone()[0])
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
    db = int(url.rsplit("/", 1)[-1] or 0)
    clients = redis.Redis.from_url(url).client_list()
    return {"pg": pg, "redis": sum(1 for c in clients if int(c.get("db", -1)) == db) - 1}


def measure(
    port: int,
    pid: int,
    eps: dict[str, Any],
    sample: dict[str, Any],
    connections: list[int],
    duration: float,
    rounds: int = 1,
) -> list[dict[str, Any]]:
    """One row per endpoint, connections, implementation and round: ``duration`` seconds of
    DRF and of the peer in ``rounds`` pairs of alternating slices (``load_sides``), so that a
    noisy spell of the shared machine falls on both alike and each round's ratio compares
    slices a fraction of a second apart."""
    rows = []
    for drf, peer, viewer in eps.values():  # warm the server (imports, first queries)
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}
        for path in (drf, peer):
            if path is not None:
                load(port, [(path, headers)], 1, 0.2)
    for name, (drf, peer, viewer) in eps.items():
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}
        sides = {"drf": [(drf, headers)]}
        if peer is not None:
            sides["peer"] = [(peer, headers)]
        for conns in connections:
            slices = load_sides(port, pid, sides, conns, duration, rounds)
            after = connections_open()
            for result in slices:
                result.update(
                    endpoint=name,
                    impl=result.pop("side"),
                    round=result.pop("pair"),
                    connections_after=after,
                    load_average=round(os.getloadavg()[0], 2),
                )
                rows.append(result)
            for impl in sides:
                mine = [r for r in slices if r["impl"] == impl]
                print(
                    f"{name:18} {impl:4} c={conns:<3} "
                    f"{_median([r['rps'] for r in mine]):>8.1f} req/s "
                    f"p50 {_median([r['p50_ms'] for r in mine]):>8.1f} ms "
                    f"p99 {_median([r['p99_ms'] for r in mine]):>8.1f} ms "
                    f"cpu {_median([r['cpu_ms_per_request'] for r in mine]):>6.2f} ms/req "
                    f"{sum(sum(r['statuses'].values()) for r in mine)} answers "
                    f"open pg/redis {after}",
                    flush=True,
                )
    return rows


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per endpoint, connections and implementation: the median over rounds of
    requests/s, p50, p99 and CPU per request (the rest from the median-rps round)."""
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["endpoint"], r["connections"], r["impl"]), []).append(r)
    out = []
    for group in groups.values():
        middle = sorted(group, key=lambda r: r["rps"])[len(group) // 2]
        row = {k: v for k, v in middle.items() if k != "round"}
        for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request"):
            row[key] = round(_median([r[key] for r in group]), 2)
        row["rounds"] = len(group)
        out.append(row)
    return out


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """DRF/peer per endpoint and connections: the median of each round's ratio (DRF and the
    peer measured back to back), with their range."""
    by = {(r["endpoint"], r["connections"], r["impl"], r.get("round", 0)): r for r in rows}
    pairs: dict[tuple[str, int], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for (name, conns, impl, round_), drf in by.items():
        peer = by.get((name, conns, "peer", round_))
        if impl == "drf" and peer is not None:
            pairs.setdefault((name, conns), []).append((drf, peer))
    out = []
    for (name, conns), rounds in pairs.items():

        def ratio(key: str, rounds: list[Any] = rounds) -> float | None:
            values = [d[key] / p[key] for d, p in rounds if p[key]]
            return round(_median(values), 3) if values else None

        rps = [d["rps"] / p["rps"] for d, p in rounds if p["rps"]]
        out.append(
            {
                "endpoint": name,
                "connections": conns,
                "rps_ratio": ratio("rps"),
                "rps_ratio_range": [round(min(rps), 3), round(max(rps), 3)] if rps else None,
                "cpu_ratio": ratio("cpu_ms_per_request"),
                "p50_ratio": ratio("p50_ms"),
                "rounds": len(rounds),
            }
        )
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/{args.db}"
    if not args.reuse:
        scale = args.posts / data.Sizes().posts
        sizes = {
            name: max(4 if name in ("users", "rooms") else 1, round(value * scale))
            for name, value in vars(data.Sizes()).items()
        }
        sizes["users"] = max(sizes["users"], 400)
        argv = ["--db", args.db] + [f"--{k}={v}" for k, v in sizes.items()]
        # Its own process: it sets Django up with the project's settings, this one with ours.
        subprocess.run([sys.executable, str(ROOT / "bench/data/generate.py"), *argv], check=True)
        data_result = json.loads((RESULTS / "data.json").read_text())
    else:
        data_result = None
    var_dir = tempfile.mkdtemp(prefix="tangerine-bench-api-")
    setup(db_url, var_dir)
    from tangerine.posts.models import Post

    sample = sample_objects()
    eps = endpoints(sample)
    if args.only:
        eps = {k: v for k, v in eps.items() if k in args.only.split(",")}
    checks = inspect(eps, sample)
    for name, check in checks.items():
        print(f"{name:18} {check}")
    port = free_port()
    server = start_server(server_env(db_url, var_dir), port, args.processes)
    try:
        rows = measure(
            port,
            server.pid,
            eps,
            sample,
            [int(c) for c in args.connections.split(",")],
            args.duration,
            args.rounds,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    result = {
        "benchmark": "api",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "note": "machine shared with other work",
        "posts": Post.objects.count(),
        "data": data_result and {k: data_result[k] for k in ("sizes", "rows_per_s", "seconds")},
        "duration_s": args.duration,
        "rounds": args.rounds,
        "method": "alternating slices",  # since round 11 (README: api, step 4)
        "cpus": os.cpu_count(),
        "processes": args.processes,
        "pinned": bool(pin(0)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "checks": checks,
        "rows": summary(rows),
        "round_rows": rows,
        "ratios": ratios(rows),
    }
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench")
    parser.add_argument("--database-url", help="instead of --db (the smoke test's database)")
    parser.add_argument("--posts", type=int, default=2000, help="other sizes scale with it")
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of each side per cell")
    parser.add_argument("--only", help="comma-separated endpoint names")
    parser.add_argument(
        "--rounds",
        type=int,
        default=6,
        help="DRF and peer slices per cell, alternating (--duration split among them)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="API processes (uvicorn --workers), on core 0"
    )
    parser.add_argument("--output", default=str(RESULTS / "api.json"))
    args = parser.parse_args(argv)
    before = [round(x, 2) for x in os.getloadavg()]
    result = run(args)
    result["load_average_before"] = before[0]
    result["load_average_after"] = result["load_average"][0]
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    for r in result["ratios"]:
        print(
            f"{r['endpoint']:18} c={r['connections']:<3} DRF/peer req/s {r['rps_ratio']} "
            f"(rounds {r['rounds']}, range {r['rps_ratio_range']}) CPU {r['cpu_ratio']}"
        )


if __name__ == "__main__":
    main()
