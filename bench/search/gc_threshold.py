"""Garbage-collection pauses of search requests under several collector thresholds, in one
process, blocks of requests alternating between them.

    OMP_NUM_THREADS=1 SEARCH_BENCH_DIR=/tmp/search-100k \\
        .venv/bin/python bench/search/gc_threshold.py --items 100000 --rounds 4 --block 26

The synthetic index of latency.py (reused with SEARCH_BENCH_DIR), both copies loaded, the
process settled as a served one is (search/startup.py: vocabulary, collect, freeze), then
`GET /api/search/?type=post,product,user` for the 52 labelled queries in turn, every per-query
cache cleared, with ``gc.set_threshold`` switched per block of ``--block`` requests:
Python's default (700, 10, 10) and the others named by --thresholds. Prints per threshold:
latency p50/p99/max, time spent in collections (gc.callbacks), the number of full (generation
2) collections and the longest one, and the load average.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import latency
from django.db import connection
from rest_framework.test import APIClient

from tangerine.integrations import embeddings, milvus
from tangerine.search import postings, startup
from tangerine.search import tokenize as tokenize_module

_pause = {"total": 0.0, "full": 0.0, "fulls": 0, "started": 0.0, "longest": 0.0}


def _watch(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _pause["started"] = time.perf_counter()
        return
    took = time.perf_counter() - _pause["started"]
    _pause["total"] += took
    _pause["longest"] = max(_pause["longest"], took)
    if info["generation"] == 2:
        _pause["full"] = max(_pause["full"], took)
        _pause["fulls"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--block", type=int, default=26)
    parser.add_argument(
        "--thresholds",
        default="10000,20000",
        help="thresholds to try: a first threshold (the others 10, 10) or all three as a/b/c",
    )
    args = parser.parse_args()
    queries = latency.labelled_queries()
    configs = {"700 (default)": (700, 10, 10)}
    for t in args.thresholds.split(","):
        parts = [int(p) for p in t.split("/")]
        configs[t] = (parts[0], 10, 10) if len(parts) == 1 else (parts[0], parts[1], parts[2])
    try:
        latency.prepare(args.items)
        milvus.mirror_load()
        if postings.enabled():
            postings.load_now()
        startup.settle(timeout=0)
        client = APIClient()
        for q in queries[:6]:  # warm-up: model, Kiwi, the request path's modules
            client.get("/api/search/", {"q": q})
        gc.callbacks.append(_watch)
        load_before = os.getloadavg()
        results = {
            name: {"wall": [], "gc": 0.0, "full": 0.0, "fulls": 0, "longest": 0.0}
            for name in configs
        }
        i = 0
        for _ in range(args.rounds):
            for name, threshold in configs.items():
                gc.set_threshold(*threshold)
                for _ in range(args.block):
                    q = queries[i % len(queries)]
                    i += 1
                    embeddings.clear_query_cache()
                    tokenize_module._analyse_short.cache_clear()
                    _pause.update(total=0.0, full=0.0, fulls=0, longest=0.0)
                    started = time.perf_counter()
                    response = client.get("/api/search/", {"q": q, "type": "post,product,user"})
                    assert response.status_code == 200
                    r = results[name]
                    r["wall"].append((time.perf_counter() - started) * 1000)
                    r["gc"] += _pause["total"] * 1000
                    r["full"] = max(r["full"], _pause["full"] * 1000)
                    r["fulls"] += _pause["fulls"]
                    r["longest"] = max(r["longest"], _pause["longest"] * 1000)
        load_after = os.getloadavg()
        print(
            f"{args.items} items, {args.rounds} rounds of {args.block} requests per threshold; "
            f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}"
        )
        for name, r in results.items():
            wall = sorted(r["wall"])
            print(
                f"  threshold {name:14s} p50 {wall[len(wall) // 2]:6.1f} ms  p99 "
                f"{latency.pct(wall, 99):6.1f} ms  max {wall[-1]:6.1f} ms; in collections "
                f"{r['gc']:6.0f} ms, full collections {r['fulls']} (longest {r['full']:.0f} ms); "
                f"longest collection of any generation {r['longest']:.0f} ms"
            )
    finally:
        if _watch in gc.callbacks:
            gc.callbacks.remove(_watch)
        milvus.close()
        connection.close()


if __name__ == "__main__":
    main()
