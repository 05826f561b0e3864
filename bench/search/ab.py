"""Before/after in one process: the old search configuration against the current one.

    OMP_NUM_THREADS=1 .venv/bin/python bench/search/ab.py [--items 100000]

Builds the synthetic index of latency.py (in its own temporary folder, deleted at the end),
checks that pruned BM25 returns exactly the plain top 200 for all 52 labelled queries and both
kinds, then times `GET /api/search/` per query in turn for each configuration, so that machine
load hits all of them alike:

- old: BM25 without pruning, corpus stats read on every request, dense searches one after the
  other (before round 2 of bench/search/README.md);
- prune+cache: pruning and the stats cache, dense searches still one after the other;
- new: the current code (dense searches in threads, overlapping BM25).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import latency
import numpy as np
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from tangerine.integrations import embeddings, milvus
from tangerine.search import keyword
from tangerine.search.selectors import query as selectors
from tangerine.search.tokenize import query_terms

ORIGINAL_BM25 = keyword.bm25
ORIGINAL_START = selectors._start_dense
CORPUS_STATS_SECONDS = keyword.CORPUS_STATS_SECONDS


def _in_turn(kinds: list[str], vector: Any) -> dict[str, Future[Any]]:
    out: dict[str, Future[Any]] = {}
    for kind, future in ORIGINAL_START(kinds, vector).items():
        done: Future[Any] = Future()
        done.set_result(future.result())  # wait before the next search starts
        out[kind] = done
    return out


def _exact(**kwargs: Any) -> list[tuple[int, float]]:
    return ORIGINAL_BM25(prune=False, **kwargs)


MODES = {"old": (False, False), "prune+cache": (False, True), "new": (True, True)}


def set_mode(threads: bool, prune: bool) -> None:
    selectors._start_dense = ORIGINAL_START if threads else _in_turn  # type: ignore[assignment]
    keyword.bm25 = ORIGINAL_BM25 if prune else _exact  # type: ignore[assignment]
    keyword.CORPUS_STATS_SECONDS = CORPUS_STATS_SECONDS if prune else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with open(latency.DATA / "queries.tsv", encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f, delimiter="\t")]
    try:
        call_command("migrate", verbosity=0)
        latency.build(args.items, random.Random(7))
        differences = 0
        for q in queries:
            for kind in ("post", "product"):
                a = ORIGINAL_BM25(kind=kind, terms=query_terms(q), limit=200, prune=False)
                b = ORIGINAL_BM25(kind=kind, terms=query_terms(q), limit=200)
                same = [i for i, _ in a] == [i for i, _ in b] and np.allclose(
                    [s for _, s in a], [s for _, s in b]
                )
                differences += not same
        print(f"pruned vs plain BM25, 52 queries x 2 kinds: {differences} differences")
        client = APIClient()
        for q in queries[:5]:  # warm-up: model, Kiwi, Milvus connection
            client.get("/api/search/", {"q": q})
        timings: dict[str, list[float]] = {mode: [] for mode in MODES}
        for q in queries:
            for mode, config in MODES.items():
                set_mode(*config)
                embeddings.clear_query_cache()
                t0 = time.perf_counter()
                response = client.get("/api/search/", {"q": q})
                timings[mode].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.content
        for mode, values in timings.items():
            print(
                f"{mode:12s} p50 {statistics.median(values):6.1f} ms  "
                f"mean {statistics.mean(values):6.1f}  p90 {latency.pct(values, 90):6.1f}  "
                f"n {len(values)}"
            )
    finally:
        set_mode(True, True)
        milvus.close()
        connection.close()
        shutil.rmtree(latency.TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
