"""Home-feed plans by follow count: where the per-author read stops paying (issue 17).

On a generated database (``bench/data/generate.py``), inside one transaction that is rolled
back, makes viewers following N people (drawn like the generator's follows: popular people
far more often) and times the feed's SQL for each N under the plans of
``posts.selectors.post_list_for_feed``, interleaved run by run so the machine's noise hits all
alike:

* ``by author`` — the per-author ``LATERAL`` read inside the page's window (what the API runs
  up to ``FEED_BY_AUTHOR_MAX_FOLLOWING`` followees);
* ``walk`` — newest first over everyone's posts with an EXISTS follow (what it runs past that);
* ``IN`` — ``author IN (followees + me)`` without a window (the plan before the per-author
  read).

For the first page and a deep one (the cursor after the feed's 200th post). Prints
``EXPLAIN ANALYZE`` execution time p50 and buffers per cell, with the load average.

    .venv/bin/python bench/growth/feed_plans.py --db tangerine_h2_b200k --rounds 11
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402

_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
_BUFFERS = re.compile(r"Buffers: shared hit=(\d+)(?: read=(\d+))?")


def _skewed(rng: random.Random, n: int) -> int:
    return min(n - 1, int(n * rng.random() ** 2))


def measure(db: str, counts: list[int], rounds: int, deep: int) -> dict[str, Any]:
    api_run.setup(f"postgres://postgres@127.0.0.1:5432/{db}", tempfile.mkdtemp(prefix="feedp-"))
    from django.db import connection, transaction

    from tangerine.accounts.models import User
    from tangerine.core.pagination import CursorWindow
    from tangerine.follows.models import Follow
    from tangerine.posts import selectors

    ids = list(User.objects.order_by("id").values_list("id", flat=True))
    rng = random.Random(17)
    newest = ("-created_at", "-id")
    cells: list[dict[str, Any]] = []
    with transaction.atomic():
        for n in counts:
            viewer = User.objects.create(handle=f"feedplans{n}", email=f"feedplans{n}@x.test")
            followees: set[int] = set()
            while len(followees) < n:
                followees.add(ids[_skewed(rng, len(ids))])
            Follow.objects.bulk_create(Follow(follower=viewer, followee_id=f) for f in followees)
            viewer.following_count = n
            full = selectors.post_list_for_feed(viewer=viewer).values_list("created_at", flat=True)
            pages: dict[str, dict[str, Any]] = {"first": {}}
            for deep_at in full[deep : deep + 1]:  # a deep page when the feed is that long
                pages[f"after {deep}"] = {"created_at__lt": deep_at}
            for page, bound in pages.items():
                plans = {}
                window = CursorWindow(ordering=newest, limit=21, bound=bound)
                for name, limit, win in (
                    ("by author", 10**6, window),
                    ("walk", 0, None),
                    ("IN", 10**6, None),
                ):
                    selectors.FEED_BY_AUTHOR_MAX_FOLLOWING = limit
                    qs = selectors.post_list_for_feed(viewer=viewer, window=win).filter(**bound)
                    plans[name] = qs[:21].query.sql_with_params()
                selectors.FEED_BY_AUTHOR_MAX_FOLLOWING = 50
                times: dict[str, list[float]] = {name: [] for name in plans}
                buffers: dict[str, int] = {}
                rows: dict[str, list[Any]] = {}
                with connection.cursor() as cursor:
                    for name, (sql, params) in plans.items():
                        cursor.execute(sql, params)
                        rows[name] = [r[0] for r in cursor.fetchall()]
                    for _ in range(rounds + 1):
                        for name, (sql, params) in plans.items():
                            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                            text = "\n".join(r[0] for r in cursor.fetchall())
                            m = _EXECUTION.search(text)
                            times[name].append(float(m.group(1)) if m else float("nan"))
                            b = _BUFFERS.search(text)
                            buffers[name] = int(b.group(1)) + int(b.group(2) or 0) if b else 0
                same = rows["by author"] == rows["walk"] == rows["IN"]
                cell: dict[str, Any] = {
                    "following": n,
                    "page": page,
                    "same_rows": same,
                    **{
                        name: {
                            "p50_ms": round(statistics.median(t[1:]), 3),
                            "buffers": buffers[name],
                        }
                        for name, t in times.items()
                    },
                }
                cells.append(cell)
                print(
                    f"following {n:4} {page:10} "
                    + " | ".join(
                        f"{name} {cell[name]['p50_ms']:7.2f} ms {cell[name]['buffers']:6} buf"
                        for name in plans
                    )
                    + f" | same rows {same} | load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        transaction.set_rollback(True)
    return {"db": db, "rounds": rounds, "cells": cells}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench_200k")
    parser.add_argument("--following", default="1,5,10,20,35,50,75,100,200,300")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--deep", type=int, default=200, help="the deep page's cursor row")
    parser.add_argument("--output", default=None, help="JSON results here too")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    result = measure(args.db, [int(n) for n in args.following.split(",")], args.rounds, args.deep)
    result |= {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average": [round(load[0], 2), round(os.getloadavg()[0], 2)],
    }
    print(f"load average {result['load_average'][0]} -> {result['load_average'][1]}")
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
