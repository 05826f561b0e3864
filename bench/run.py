"""Runs benchmarks and records them: ``bench/results/<name>.json``, then bench/README.md's table
and plots (``bench/report.py``).

    .venv/bin/python bench/run.py                 # every benchmark, real (small) sizes
    .venv/bin/python bench/run.py api feed        # some of them
    .venv/bin/python bench/run.py --smoke api     # tiny sizes, results under a temp dir

Each benchmark is its own script (see its README); this runner gives every one the same
record: date, load average before and after, the command, its exit code, its output and the
figures parsed from it. ``--smoke`` is what ``tests/bench/`` runs so none can rot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
DB = os.environ.get("BENCH_DB", "tangerine_bench")


@dataclass
class Bench:
    what: str
    real: list[str]
    smoke: list[str]
    parse: Callable[[str, Path], dict[str, Any]]
    writes_json: bool = False  # the script writes bench/results/<name>.json itself


def _parse_markdown_table(out: str, _: Path) -> dict[str, Any]:
    lines = [line for line in out.splitlines() if line.startswith("|")]
    if len(lines) < 3:
        return {"rows": []}
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [dict(zip(head, (c.strip() for c in line.strip("|").split("|")), strict=False))
            for line in lines[2:]]  # fmt: skip
    return {"rows": rows}


def _parse_images(out: str, _: Path) -> dict[str, Any]:
    figures = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r"^\s*(\w+): median\s+([\d.]+)", out, re.MULTILINE)
    }
    return {"medians": figures}


def _parse_feed(out: str, results: Path) -> dict[str, Any]:
    path = results / "feed_raw.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _parse_search(out: str, _: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for m in re.finditer(r"^\s+([\w=,. ]+): (\{.*\})$", out, re.MULTILINE):
        try:
            figures[m.group(1)] = json.loads(m.group(2).replace("'", '"'))
        except ValueError:
            figures[m.group(1)] = m.group(2)
    rate = re.search(r"indexing throughput with real embeddings: ([\d.]+)", out)
    if rate:
        figures["indexing_items_per_s"] = float(rate.group(1))
    return {"latency": figures}


def _parse_none(out: str, _: Path) -> dict[str, Any]:
    return {}


BENCHES: dict[str, Bench] = {
    "data": Bench(
        "data generator: rows/s per table (PostgreSQL COPY)",
        [
            "bench/data/generate.py",
            "--db",
            DB,
            "--posts",
            "20000",
            "--users",
            "2000",
            "--likes",
            "100000",
            "--follows",
            "20000",
            "--products",
            "2000",
            "--comments",
            "5000",
            "--rooms",
            "100",
            "--messages",
            "100000",
        ],
        ["bench/data/generate.py", "--db", DB, "--tiny"],
        _parse_none,
        writes_json=True,
    ),
    "api": Bench(
        "REST API under load beside a plain-Django peer (same queries, same JSON)",
        ["bench/api/run.py", "--db", DB, "--posts", "2000"],
        [
            "bench/api/run.py",
            "--db",
            DB,
            "--posts",
            "300",
            "--connections",
            "2",
            "--duration",
            "0.3",
            "--only",
            "feed,products_price_asc,search_users",
        ],
        _parse_none,
        writes_json=True,
    ),
    "feed": Bench(
        "home-feed SQL: old and new plan per kind of viewer",
        [
            "bench/feed/bench_feed.py",
            "--db",
            f"{DB}_feed",
            "--posts",
            "20000",
            "--users",
            "2000",
            "--rounds",
            "20",
        ],
        [
            "bench/feed/bench_feed.py",
            "--db",
            f"{DB}_feed",
            "--posts",
            "1000",
            "--users",
            "10000",
            "--rounds",
            "2",
        ],
        _parse_feed,
    ),
    "growth": Bench(
        "the endpoints at 20k and 200k posts: p50, CPU, queries, slowest query's EXPLAIN",
        ["bench/growth/run.py", "--dbs", f"{DB}_20k,{DB}_200k", "--generate", "--readme"],
        [
            "bench/growth/run.py",
            "--dbs",
            f"{DB}_growth",
            "--posts",
            "300",
            "--generate",
            "-n",
            "2",
            "--feed-rounds",
            "2",
        ],
        _parse_none,
        writes_json=True,
    ),
    "channels": Bench(
        "channel layers: Pulsar beside channels_redis core and pub/sub",
        [
            "bench/channels/bench.py",
            "--members",
            "200",
            "--procs",
            "2",
            "--stream-count",
            "300",
            "--group-count",
            "20",
        ],
        [
            "bench/channels/bench.py",
            "--layers",
            "redis",
            "--members",
            "10",
            "--procs",
            "2",
            "--stream-count",
            "20",
            "--group-count",
            "3",
            "--gap",
            "0.01",
        ],
        _parse_markdown_table,
    ),
    "chat": Bench(
        "chat end to end: store, ack, deliver in rooms of 10 beside a no-database floor",
        ["bench/chat/bench.py", "--db", f"{DB}_chat"],
        f"bench/chat/bench.py --db {DB}_chat --layers redis --rooms 1 --rate 20 --seconds 1 "
        "--grace 10 --search 20 --search-seconds 1".split(),
        _parse_none,
        writes_json=True,
    ),
    "sockets": Bench(
        "idle chat sockets: memory per socket, PostgreSQL/Redis connections through churn",
        ["bench/sockets/bench.py", "--db", f"{DB}_sockets"],
        ["bench/sockets/bench.py", "--db", f"{DB}_sockets", "--steps", "20,40", "--churn", "1"],
        _parse_none,
        writes_json=True,
    ),
    "images": Bench(
        "image pipeline: one 12-megapixel JPEG",
        ["bench/images/bench_pipeline.py", "--runs", "3"],
        ["bench/images/bench_pipeline.py", "--runs", "1"],
        _parse_images,
    ),
    "search": Bench(
        "search through the API: latency at N items (SQLite + Milvus Lite)",
        ["bench/search/latency.py", "--items", "2000", "--queries", "20", "--sample", "20"],
        ["bench/search/latency.py", "--items", "100", "--queries", "3", "--sample", "2"],
        _parse_search,
    ),
}


def run_one(name: str, *, smoke: bool, results: Path) -> dict[str, Any]:
    bench = BENCHES[name]
    args = list(bench.smoke if smoke else bench.real)
    out_path = results / f"{name}.json"
    if name == "api":
        args += ["--output", str(out_path)]
    load_before = os.getloadavg()[0]
    started = time.time()
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "BENCH_RESULTS": str(results),
        "BENCH_FEED_OUT": str(results / "feed_raw.json"),
    }
    proc = subprocess.run(
        [PY, *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=3600
    )
    record: dict[str, Any] = {}
    if bench.writes_json and out_path.exists() and out_path.stat().st_mtime >= started - 1:
        record = json.loads(out_path.read_text())
    record.update(bench.parse(proc.stdout, results))
    record.update(
        benchmark=name,
        what=bench.what,
        smoke=smoke,
        date=time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
        note="machine shared with other work",
        command=" ".join([".venv/bin/python", *args]),
        returncode=proc.returncode,
        seconds=round(time.time() - started, 1),
        load_average_before=round(load_before, 2),
        load_average_after=round(os.getloadavg()[0], 2),
        output=proc.stdout[-6000:],
        errors=proc.stderr[-3000:] if proc.returncode else "",
    )
    results.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(record, indent=2, default=str))
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(BENCHES)}")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed = []
    for name in names:
        print(f"=== bench {name}", flush=True)
        record = run_one(name, smoke=args.smoke, results=Path(args.results))
        print(record["output"][-1500:], flush=True)
        if record["returncode"] != 0:
            print(record["errors"], file=sys.stderr)
            failed.append(name)
    if not args.no_report and not args.smoke:
        from bench import report

        report.main()
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
