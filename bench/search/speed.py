"""Search latency of the current code beside an older commit's, in one process, per query in turn.

    OMP_NUM_THREADS=1 SEARCH_BENCH_DIR=/tmp/search-100k \\
        .venv/bin/python bench/search/speed.py --items 100000 --queries 104 --old d1b38b4

Builds (or, with SEARCH_BENCH_DIR, reuses) the synthetic index of latency.py, loads the
in-process vector copy, then for each query times `GET /api/search/` through the real API with
the old request path and the new one in turn (order alternating), so that the machine's load
falls on both alike. The old path is the older commit's `search/selectors/query.py` and
`integrations/vector_mirror.py` search, loaded from git beside the current modules (everything
else is shared). Every cache a cold query would miss is cleared before each request: the query
embedding LRU and the tokenizer's analysis cache. Before the timed requests the process settles
as a served one does (search/startup.py: vocabulary read, long-lived objects frozen out of the
garbage collector), for both paths alike. Prints p50/p99 per mode and request kind, the new/old
ratios, the three slowest requests of each (with the time the garbage collector took inside
them) and the load average before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import latency
import oldcode
from django.db import connection
from rest_framework.test import APIClient

from tangerine.integrations import embeddings, milvus
from tangerine.search import postings, startup
from tangerine.search import tokenize as tokenize_module


def cold() -> None:
    embeddings.clear_query_cache()
    cache_clear = getattr(getattr(tokenize_module, "_analyse_short", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


class _CollectorClock:
    """A ``gc.callbacks`` entry adding up the time spent in collections (``spent``, seconds)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            took = time.perf_counter() - self._started
            self.spent += took
            if os.environ.get("SPEED_GC_LOG") and took > 0.01:
                print(
                    f"gen {info['generation']} {took * 1000:.0f} ms collected {info['collected']}"
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=104)
    parser.add_argument("--old", default="d1b38b4", help="the commit to compare with")
    args = parser.parse_args()
    queries = latency.labelled_queries()
    set_mode = oldcode.swap(args.old)
    try:
        latency.prepare(args.items)
        t0 = time.perf_counter()
        print(f"loaded {milvus.mirror_load()} vectors into the in-process copy", end=" ")
        print(f"in {time.perf_counter() - t0:.1f} s")
        if postings.enabled():
            t0 = time.perf_counter()
            postings.load_now()
            print(f"loaded the keyword postings copy in {time.perf_counter() - t0:.1f} s")
        # As a served process does once its copies are loaded (search/startup.py): the
        # vocabulary read, then the long-lived objects frozen out of the garbage collector.
        startup.settle(timeout=0)
        client = APIClient()
        for q in queries[:6]:  # warm-up: model, Kiwi, vocabulary, both code paths
            for mode in ("old", "new"):
                set_mode(mode)
                client.get("/api/search/", {"q": q})
        load_before = os.getloadavg()
        collecting = _CollectorClock()
        gc.callbacks.append(collecting)
        slowest: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        timings: dict[tuple[str, str], list[float]] = {}
        ranked: dict[tuple[str, str, int], list[tuple[str, str]]] = {}
        for i in range(args.queries):
            q = queries[i % len(queries)]
            order = ("old", "new") if i % 2 == 0 else ("new", "old")
            for label, kinds in (("all", "post,product,user"), ("post", "post")):
                for mode in order:
                    set_mode(mode)
                    cold()
                    collecting.spent = 0.0
                    started = time.perf_counter()
                    response = client.get("/api/search/", {"q": q, "type": kinds})
                    elapsed = (time.perf_counter() - started) * 1000
                    slowest.setdefault((mode, label), []).append(
                        (elapsed, collecting.spent * 1000, q)
                    )
                    assert response.status_code == 200, response.content
                    body = response.json()
                    assert body["dense"] is True
                    timings.setdefault((mode, label), []).append(elapsed)
                    section = body.get("top") or body[kinds.split(",")[0]]
                    ranked[(mode, label, i)] = [
                        (h["kind"], h.get("uuid") or h["handle"]) for h in section["results"]
                    ]
        load_after = os.getloadavg()
        gc.callbacks.remove(collecting)
        print(
            f"{args.items} items, {args.queries} queries per kind and mode, "
            f"old = {args.old}; load average before {load_before[0]:.1f}, "
            f"after {load_after[0]:.1f} (1 min), {load_after[1]:.1f} (5 min); "
            f"collector thresholds {gc.get_threshold()} (both paths: one process)"
        )
        for label in ("all", "post"):
            row = []
            for mode in ("old", "new"):
                values = timings[(mode, label)]
                p50, p99 = statistics.median(values), latency.pct(values, 99)
                row.append((p50, p99))
                print(f"  {label:4s} {mode}: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  n {len(values)}")
            for mode in ("old", "new"):
                top = sorted(slowest[(mode, label)], reverse=True)[:3]
                shown = ", ".join(
                    f"{ms:.0f} ms (collector {gc_ms:.0f}) {q!r}" for ms, gc_ms, q in top
                )
                print(f"  {label:4s} {mode} slowest: {shown}")
            (old50, old99), (new50, new99) = row
            print(f"  {label:4s} new/old: p50 {new50 / old50:.2f}  p99 {new99 / old99:.2f}")
            differ = [
                i
                for i in range(args.queries)
                if ranked[("old", label, i)] != ranked[("new", label, i)]
            ]
            print(f"  {label:4s} first pages (20 results) that differ, old vs new: {len(differ)}")
            if differ:
                print(f"       {sorted({queries[i % len(queries)] for i in differ})}")
    finally:
        set_mode("new")
        milvus.close()
        connection.close()


if __name__ == "__main__":
    main()
