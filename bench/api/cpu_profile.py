"""Where one API request spends its CPU: cProfile over N in-process requests of an endpoint.

Runs the DRF endpoint (and its peer) through Django's test client with the bench server's
settings (``DEBUG=false``, throttles evaluated, Redis cache), after a warm-up, and prints the
CPU ms per request and the functions with the most cumulative and own time.

    .venv/bin/python bench/api/cpu_profile.py --db tangerine_bench --only feed -n 200
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench")
    parser.add_argument("--only", default="feed", help="comma-separated endpoint names")
    parser.add_argument("-n", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative,tottime")
    parser.add_argument("--peer", action="store_true", help="the peer too")
    args = parser.parse_args(argv)
    sample, eps, client = api_run.in_process(args.db, "h5-prof-")
    for name in args.only.split(","):
        drf, peer, viewer = eps[name]
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}
        for impl, path in (("drf", drf), ("peer", peer if args.peer else None)):
            if path is None:
                continue
            for _ in range(10):
                assert client.get(path, headers=headers).status_code == 200
            start = time.process_time()
            for _ in range(args.n):
                client.get(path, headers=headers)
            cpu = (time.process_time() - start) * 1000 / args.n
            print(f"{name} {impl}: {cpu:.2f} CPU ms/request (client included)")
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                client.get(path, headers=headers)
            profiler.disable()
            for key in args.sort.split(","):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
