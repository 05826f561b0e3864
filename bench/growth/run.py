"""Growth: the API endpoints at two data sizes (say 20k and 200k posts), side by side.

For each database (one child process each, since Django is set up once per process):

* every endpoint of ``bench/api`` (DRF, and its plain-Django peer where there is one), through
  Django's test client with the bench server's settings (``DEBUG=false``, throttles evaluated,
  Redis cache): **p50 wall ms** and **p50 CPU ms** per request over ``-n`` requests after a
  warm-up (one connection, nothing else in flight), and **queries per request**;
* the **slowest query of each endpoint** (every SELECT of one request run under
  ``EXPLAIN (ANALYZE, BUFFERS)`` three times; the highest median execution time), with its plan;
* the **home-feed SQL per kind of viewer** (``u0`` follows no one, ``u1`` a few, ``u2``
  hundreds): p50 execution time over ``--feed-rounds`` ``EXPLAIN ANALYZE`` runs and buffers,
  for the first page as the API reads it (the paginator's ``CursorWindow``) and, interleaved
  with it, without the window (the plan before the per-author read).

Then ``bench/results/growth.json`` and, with ``--readme``, the results part of
bench/growth/README.md (between its markers; the text around them is left alone).

    .venv/bin/python bench/growth/run.py --generate        # builds tangerine_bench_20k/_200k
    .venv/bin/python bench/growth/run.py --dbs tangerine_bench_20k,tangerine_bench_200k --readme
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402
from bench.data import generate as data  # noqa: E402

RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
README = ROOT / "bench" / "growth" / "README.md"
START, END = "<!-- growth:start (bench/growth/run.py --readme) -->", "<!-- growth:end -->"
_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
_PLANNING = re.compile(r"Planning Time: ([\d.]+) ms")
_BUFFERS = re.compile(r"Buffers: shared hit=(\d+)(?: read=(\d+))?")


def sizes_for(posts: int) -> list[str]:
    """Generator arguments for ``posts`` posts, the other tables scaled from its defaults
    (chat messages kept small: no endpoint here reads them)."""
    scale = posts / data.Sizes().posts
    sizes = {name: max(4, round(value * scale)) for name, value in vars(data.Sizes()).items()}
    sizes["users"] = max(sizes["users"], 400)
    sizes["messages"] = min(sizes["messages"], 10_000)
    return [f"--{k}={v}" for k, v in sizes.items()]


def _explain(cursor: Any, sql: str, params: Any = None) -> tuple[float, float, str]:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
    text = "\n".join(row[0] for row in cursor.fetchall())
    execution = float(m.group(1)) if (m := _EXECUTION.search(text)) else float("nan")
    planning = float(m.group(1)) if (m := _PLANNING.search(text)) else float("nan")
    return execution, planning, text


def measure_one(db_url: str, n: int, feed_rounds: int) -> dict[str, Any]:
    """Everything for one database, in this process."""
    api_run.setup(db_url, tempfile.mkdtemp(prefix="tangerine-bench-growth-"))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tangerine.accounts.models import User
    from tangerine.core.pagination import CursorWindow
    from tangerine.posts import selectors
    from tangerine.posts.models import Post

    sample = api_run.sample_objects()
    eps = api_run.endpoints(sample)
    eps.pop("search_users", None)  # the search index is not part of these databases
    feed = eps.pop("feed")
    eps = {
        "feed_none": (feed[0], feed[1], "none"),
        "feed_few": feed,
        "feed_many": (feed[0], feed[1], "many"),
        **eps,
    }
    client = Client()
    endpoints: dict[str, Any] = {}
    for name, (drf, peer, viewer) in eps.items():
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}
        row: dict[str, Any] = {}
        for impl, path in (("drf", drf), ("peer", peer)):
            if path is None:
                continue
            for _ in range(3):
                assert client.get(path, headers=headers).status_code == 200, path
            walls, cpus = [], []
            for _ in range(n):
                w, c = time.perf_counter(), time.process_time()
                client.get(path, headers=headers)
                cpus.append((time.process_time() - c) * 1000)
                walls.append((time.perf_counter() - w) * 1000)
            with CaptureQueriesContext(connection) as ctx:
                client.get(path, headers=headers)
            row[impl] = {
                "p50_ms": round(statistics.median(walls), 2),
                "cpu_p50_ms": round(statistics.median(cpus), 2),
                "queries": len(ctx.captured_queries),
            }
            if impl == "drf":
                slowest: dict[str, Any] | None = None
                with connection.cursor() as cursor:
                    for q in ctx.captured_queries:
                        sql = q["sql"]
                        if not sql.lstrip().upper().startswith("SELECT"):
                            continue
                        runs = [_explain(cursor, sql) for _ in range(3)]
                        execution = statistics.median(r[0] for r in runs)
                        if slowest is None or execution > slowest["execution_ms"]:
                            slowest = {
                                "execution_ms": round(execution, 3),
                                "planning_ms": round(statistics.median(r[1] for r in runs), 3),
                                "sql": sql,
                                "plan": runs[-1][2],
                            }
                row["slowest_query"] = slowest
        if "peer" in row:
            row["p50_ratio"] = round(row["drf"]["p50_ms"] / row["peer"]["p50_ms"], 3)
            row["cpu_ratio"] = round(row["drf"]["cpu_p50_ms"] / row["peer"]["cpu_p50_ms"], 3)
        endpoints[name] = row
        print(
            f"{name:20} drf p50 {row['drf']['p50_ms']:7.2f} ms cpu {row['drf']['cpu_p50_ms']:6.2f}"
            f" q {row['drf']['queries']}"
            + (
                f" | peer p50 {row['peer']['p50_ms']:7.2f} cpu {row['peer']['cpu_p50_ms']:6.2f}"
                if "peer" in row
                else ""
            )
            + f" | slowest SQL {(row['slowest_query'] or {}).get('execution_ms', '-')} ms",
            flush=True,
        )
    feed_sql: dict[str, Any] = {}
    # The first page as the API reads it (with the paginator's window) and, interleaved run by
    # run, without a window (the plan before the per-author read): a same-run ratio.
    window = CursorWindow(ordering=("-created_at", "-id"), limit=21)
    for label in ("none", "few", "many"):
        user = User.objects.get(handle={"none": "u0", "few": "u1", "many": "u2"}[label])
        plans = {
            "windowed": selectors.post_list_for_feed(viewer=user, window=window),
            "unwindowed": selectors.post_list_for_feed(viewer=user),
        }
        runs: dict[str, list[tuple[float, float, str]]] = {name: [] for name in plans}
        with connection.cursor() as cursor:
            for _ in range(feed_rounds + 1):  # the first round warms up
                for name, qs in plans.items():
                    sql, params = qs[:21].query.sql_with_params()
                    runs[name].append(_explain(cursor, sql, params))
        row: dict[str, Any] = {"following": user.following_count}
        for name, measured in runs.items():
            measured = measured[1:]
            buffers = _BUFFERS.search(measured[-1][2])
            prefix = "" if name == "windowed" else "unwindowed_"
            row |= {
                f"{prefix}p50_ms": round(statistics.median(r[0] for r in measured), 3),
                f"{prefix}max_ms": round(max(r[0] for r in measured), 3),
                f"{prefix}planning_p50_ms": round(statistics.median(r[1] for r in measured), 3),
                f"{prefix}buffers": (
                    int(buffers.group(1)) + int(buffers.group(2) or 0) if buffers else None
                ),
                f"{prefix}plan": measured[-1][2],
            }
        feed_sql[label] = row
        print(
            f"feed SQL {label:5} following {user.following_count:4}: {row['p50_ms']} ms"
            f" ({row['buffers']} buffers); without a window {row['unwindowed_p50_ms']} ms"
            f" ({row['unwindowed_buffers']} buffers)",
            flush=True,
        )
    return {
        "posts": Post.objects.count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "endpoints": endpoints,
        "feed_sql": feed_sql,
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(result: dict[str, Any]) -> str:
    small, big = result["runs"][0], result["runs"][-1]
    s, b = f"{small['posts']:,}", f"{big['posts']:,}"
    lines = [
        f"### growth ({result['date']}, {s} → {b} posts, n={result['n']} requests per cell, "
        f"in-process at one connection; load average {small['load_average'][0]} / "
        f"{big['load_average'][0]})",
        "",
        f"| endpoint | p50 ms {s} | p50 ms {b} | **p50 growth** | CPU ms {s} | CPU ms {b} "
        f"| queries {s} / {b} | DRF/peer CPU {s} | DRF/peer CPU {b} | slowest SQL ms {s} "
        f"| slowest SQL ms {b} |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, row in big["endpoints"].items():
        old = small["endpoints"].get(name, {})
        d0, d1 = old.get("drf", {}), row["drf"]
        growth = d1["p50_ms"] / d0["p50_ms"] if d0.get("p50_ms") else None
        sq0 = (old.get("slowest_query") or {}).get("execution_ms")
        sq1 = (row.get("slowest_query") or {}).get("execution_ms")
        lines.append(
            f"| {name} | {_fmt(d0.get('p50_ms'))} | {_fmt(d1['p50_ms'])} | "
            f"**{_fmt(growth)}** | {_fmt(d0.get('cpu_p50_ms'))} | {_fmt(d1['cpu_p50_ms'])} | "
            f"{d0.get('queries', '—')} / {d1['queries']} | {_fmt(old.get('cpu_ratio'))} | "
            f"{_fmt(row.get('cpu_ratio'))} | {_fmt(sq0)} | {_fmt(sq1)} |"
        )
    lines += [
        "",
        "Home-feed SQL per kind of viewer, first page as the API reads it (`EXPLAIN ANALYZE` "
        f"execution time, p50 of {result['feed_rounds']} runs; goal ≤ 2 ms at 200k posts), and "
        "interleaved with it the same page without the paginator's window (the plan before the "
        "per-author read):",
        "",
        f"| viewer | following | p50 ms {s} | p50 ms {b} | max ms {b} | buffers {s} / {b} "
        f"| without window: p50 ms {b} | buffers {b} | **without / with {b}** |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for label, row in big["feed_sql"].items():
        old = small["feed_sql"][label]
        before = row.get("unwindowed_p50_ms")
        ratio = before / row["p50_ms"] if before and row["p50_ms"] else None
        lines.append(
            f"| {label} | {row['following']} | {_fmt(old['p50_ms'])} | **{_fmt(row['p50_ms'])}** "
            f"| {_fmt(row['max_ms'])} | {old['buffers']} / {row['buffers']} | {_fmt(before)} "
            f"| {_fmt(row.get('unwindowed_buffers'))} | **{_fmt(ratio)}** |"
        )
    lines += ["", f"Slowest query of each endpoint at {b} posts, `EXPLAIN (ANALYZE, BUFFERS)`:", ""]
    for name, row in big["endpoints"].items():
        q = row.get("slowest_query")
        if not q:
            continue
        lines += [
            "<details>",
            f"<summary>{name}: {q['execution_ms']} ms execution, {q['planning_ms']} ms planning"
            "</summary>",
            "",
            "```",
            q["plan"],
            "```",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def write_readme(text: str, readme: Path = README) -> None:
    content = readme.read_text()
    block = f"{START}\n\n{text}\n\n{END}"
    if START in content and END in content:
        head, rest = content.split(START, 1)
        content = head + block + rest.split(END, 1)[1]
    else:
        content = content.rstrip("\n") + "\n\n## Results\n\n" + block + "\n"
    readme.write_text(content)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dbs", default="tangerine_bench_20k,tangerine_bench_200k")
    parser.add_argument("--posts", default="20000,200000", help="with --generate, per database")
    parser.add_argument("--generate", action="store_true", help="(re)build the databases first")
    parser.add_argument("-n", type=int, default=30, help="requests per endpoint and impl")
    parser.add_argument("--feed-rounds", type=int, default=21)
    parser.add_argument("--output", default=str(RESULTS / "growth.json"))
    parser.add_argument(
        "--readme", action="store_true", help="rewrite the results in bench/growth/README.md"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child: measure this database URL
    args = parser.parse_args(argv)
    if args.one:
        print("RESULT " + json.dumps(measure_one(args.one, args.n, args.feed_rounds)))
        return
    dbs = args.dbs.split(",")
    if args.generate:
        for db, posts in zip(dbs, args.posts.split(","), strict=True):
            cmd = [sys.executable, str(ROOT / "bench/data/generate.py"), "--db", db]
            # Its data.json goes to a temporary folder: the data bench's record stays.
            env = {**os.environ, "BENCH_RESULTS": tempfile.mkdtemp(prefix="growth-data-")}
            subprocess.run([*cmd, *sizes_for(int(posts))], check=True, env=env)
            data.psql(db, "VACUUM ANALYZE;")
    runs = []
    for db in dbs:
        url = f"postgres://postgres@127.0.0.1:5432/{db}"
        print(f"=== {db}", flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--one", url, "-n", str(args.n),
             "--feed-rounds", str(args.feed_rounds)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        lines = proc.stdout.splitlines()
        print("\n".join(line for line in lines if not line.startswith("RESULT ")), flush=True)
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        found = next(line for line in lines if line.startswith("RESULT "))
        runs.append({"db": db, **json.loads(found[len("RESULT ") :])})
    result = {
        "benchmark": "growth",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "n": args.n,
        "feed_rounds": args.feed_rounds,
        "note": "in-process, one connection; plans and findings in bench/growth/README.md",
        "runs": runs,
        # The results table of bench/README.md shows these (bench/report.py).
        "load_average_before": runs[0]["load_average"][0],
        "load_average_after": runs[-1]["load_average"][0],
    }
    summary = markdown(result).split("\nSlowest query")[0]
    result["output"] = summary
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    if args.readme:
        write_readme(markdown(result))
    print(summary)


if __name__ == "__main__":
    main()
