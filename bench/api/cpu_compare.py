"""Server CPU per request of each endpoint: DRF beside the plain-Django peer, interleaved in
one process (issue 17).

Through Django's test client with the bench server's settings (as ``cpu_profile.py``): for
each endpoint, rounds that run ``-n`` requests of DRF and of the peer in turn, so the
machine's noise hits both alike; CPU is this process's (view, ORM, serializers, middleware,
client), not PostgreSQL's. Before timing, checks that both answer the same JSON. Prints CPU
ms per request (median of rounds), the median of each round's DRF/peer ratio and its range,
and the load average.

Until 2026-12-08 it also ran an "old" variant, the code before issue 17's CPU round patched
in (its figures are in ``bench/README.md``); that code is gone from the tree, so the variant
is too (``git show 1019db6:bench/api/cpu_compare.py``).

    .venv/bin/python bench/api/cpu_compare.py --db tangerine_h2_b20k --rounds 6 -n 30
    .venv/bin/python bench/api/cpu_compare.py --only feed,latest --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402

DEFAULT = "feed,latest,post_detail,comments,products_latest,notifications"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench")
    parser.add_argument("--only", default=DEFAULT, help="comma-separated endpoint names")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("-n", type=int, default=30, help="requests per side and round")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    sample, eps, client = api_run.in_process(args.db, "cpucmp-")
    load_before = os.getloadavg()[0]
    out: dict[str, Any] = {"load_average_before": round(load_before, 2), "endpoints": {}}
    for name in args.only.split(","):
        drf, peer, viewer = eps[name]
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}

        def get(path: str, headers: dict[str, str] = headers) -> bytes:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            return bytes(response.content)

        variants = {"drf": drf} if peer is None else {"drf": drf, "peer": peer}
        bodies = {}
        for variant, path in variants.items():
            for _ in range(5):
                body = api_run.as_api(json.loads(get(path)))
            if name == "post_detail":  # each request counts a view (or not: once per viewer)
                body.pop("view_count", None)
            bodies[variant] = body
        same = all(body == bodies["drf"] for body in bodies.values())
        cpu: dict[str, list[float]] = {variant: [] for variant in variants}
        for round_ in range(args.rounds):
            order = list(variants.items())
            if round_ % 2:  # which goes first alternates
                order.reverse()
            for variant, path in order:
                start = time.process_time()
                for _ in range(args.n):
                    get(path)
                cpu[variant].append((time.process_time() - start) * 1000 / args.n)
        p50 = {variant: statistics.median(values) for variant, values in cpu.items()}
        row: dict[str, Any] = {
            "cpu_ms": {k: round(v, 3) for k, v in p50.items()},
            "rounds": {k: [round(x, 3) for x in v] for k, v in cpu.items()},
            "same_json": same,
        }
        text = f"{name:16} DRF {p50['drf']:6.2f}  "
        if "peer" in p50:  # each round's ratio: DRF and the peer ran back to back
            paired = [d / p for d, p in zip(cpu["drf"], cpu["peer"], strict=True) if p]
            row["drf_over_peer"] = round(statistics.median(paired), 3)
            row["drf_over_peer_range"] = [round(min(paired), 3), round(max(paired), 3)]
            text += (
                f"peer {p50['peer']:6.2f}  DRF/peer {row['drf_over_peer']:.3f} "
                f"({row['drf_over_peer_range'][0]:.2f}-{row['drf_over_peer_range'][1]:.2f})  "
            )
        out["endpoints"][name] = row
        print(f"{text}same JSON {same}  load {os.getloadavg()[0]:.2f}", flush=True)
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    out["rounds"], out["n"] = args.rounds, args.n
    print(f"{args.rounds} rounds x {args.n} requests per side; load average "
          f"{load_before:.2f} -> {out['load_average_after']:.2f}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
