"""Server CPU per home-feed page, variants side by side in one process (issue 17).

Through Django's test client with the bench server's settings (as ``cpu_profile.py``), the
feed endpoint for a viewer (default ``u1``, five followees), in rounds that alternate the
variants so the machine's noise hits all alike:

* ``compiled`` — what the API runs: the per-author read inside the page's window, the whole
  page compiled once per shape (``posts.selectors.post_page_for_feed``, ``core.compiled``);
* ``window, built`` — the same read, the page's queryset built and compiled on every request;
* ``no window`` — the selector without a window (the ``IN`` plan before the per-author read).

Prints CPU ms per request (this process: view, ORM, serializers, middleware, client) per
variant, the ratios, and the load average.

    .venv/bin/python bench/api/feed_cpu.py --db tangerine_h2_b200k --rounds 8 -n 40
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench_200k")
    parser.add_argument("--viewer", default="few", help="none, few or many (u0, u1, u2)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("-n", type=int, default=40, help="requests per variant and round")
    args = parser.parse_args(argv)
    api_run.setup(
        f"postgres://postgres@127.0.0.1:5432/{args.db}", tempfile.mkdtemp(prefix="feedcpu-")
    )
    from django.test import Client

    from tangerine.accounts.auth import request_user
    from tangerine.posts import selectors
    from tangerine.posts.views.posts import PostFeedView

    sample = api_run.sample_objects()
    drf, _peer, _viewer = api_run.endpoints(sample)["feed"]
    headers = {"Authorization": f"Bearer {sample['tokens'][args.viewer]}"}
    client = Client()
    compiled = PostFeedView.get_queryset

    def built(self: PostFeedView) -> Any:
        window = self.paginator.window(self.request)  # type: ignore[union-attr]
        return selectors.post_list_for_feed(viewer=request_user(self.request), window=window)

    def no_window(self: PostFeedView) -> Any:
        return selectors.post_list_for_feed(viewer=request_user(self.request))

    variants = {"compiled": compiled, "window, built": built, "no window": no_window}
    bodies = {}
    for name, get_queryset in variants.items():
        PostFeedView.get_queryset = get_queryset  # type: ignore[method-assign]
        for _ in range(10):
            response = client.get(drf, headers=headers)
            assert response.status_code == 200, response.content
        bodies[name] = response.content
    assert len(set(bodies.values())) == 1, "every variant answers the same JSON"
    load = os.getloadavg()[0]
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, get_queryset in variants.items():
            PostFeedView.get_queryset = get_queryset  # type: ignore[method-assign]
            start = time.process_time()
            for _ in range(args.n):
                client.get(drf, headers=headers)
            cpu[name].append((time.process_time() - start) * 1000 / args.n)
    base = statistics.median(cpu["compiled"])
    for name, values in cpu.items():
        p50 = statistics.median(values)
        print(
            f"{name:18} CPU ms/request p50 {p50:6.2f} (rounds {min(values):.2f}-{max(values):.2f})"
            f"  / compiled: {p50 / base:.2f}"
        )
    print(f"viewer {args.viewer}, {args.rounds} rounds x {args.n} requests per variant; load "
          f"average {load:.2f} -> {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
