"""CPU of storing one chat message and rendering its payload, in one process (issue 17).

What a socket's ``message.send`` costs on the writer thread (``consumers._message_send_and_render``:
the transaction, its statements and the payload), on PostgreSQL with the bench server's
settings, in rounds that alternate the variants so the machine's noise hits all alike. The
variants are whatever ``VARIANTS`` lists (the current path, and the path before a change while
one is being judged). Prints thread CPU ms per message per variant, their ratio and the load
average; ``--profile`` prints a cProfile of the current path instead.

    .venv/bin/python bench/chat/send_cpu.py --rounds 6 -n 200 --before 0abec96
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.chat import harness  # noqa: E402


def variants(before: str | None) -> dict[str, Callable[..., Any]]:
    """The current path, and with ``before`` (a commit) the path as that commit had it: its
    ``chats/services.py`` and ``chats/serializers.py`` loaded as modules of their own."""
    from tangerine.chats import consumers

    found: dict[str, Callable[..., Any]] = {"current": consumers._message_send_and_render}
    if before:
        services = _module_at(before, "services")
        serializers = _module_at(before, "serializers")

        def old(**kwargs: Any) -> Any:
            result = services.message_send(**kwargs)
            return result, serializers.message_payload(result.message, read_marks=result.read_marks)

        found[before[:7]] = old
    return found


def _module_at(commit: str, name: str) -> Any:
    source = subprocess.run(
        ["git", "show", f"{commit}:src/tangerine/chats/{name}.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType(f"tangerine.chats._before_{name}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{commit[:7]}:{name}.py", "exec"), module.__dict__)  # noqa: S102
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench_chat")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("-n", type=int, default=200, help="messages per variant and round")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--before", help="a commit whose send path runs beside the current one")
    args = parser.parse_args(argv)

    db_url = harness.database_url(args.db)
    env = harness.chat_env(db_url, "memory://", tempfile.mkdtemp(prefix="bench-send-"))
    harness.prepare_database(db_url, env)
    harness.setup_django(env)
    members = harness.make_rooms(rooms=1, tag=f"s{os.getpid()}{int(time.time()) % 10000}")
    sender, room = members[0]["user"], members[0]["room"]

    def send(func: Callable[..., Any], n: int) -> float:
        start = time.thread_time()
        for _ in range(n):
            func(sender=sender, room_uuid=room, text="hello there", client_id=uuid.uuid4().hex)
        return (time.thread_time() - start) * 1000 / n

    found = variants(args.before)
    for func in found.values():
        send(func, 20)  # warm-up: connection, pool, statement caches
    if args.profile:
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        ms = send(found["current"], args.n)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())
        print(f"current (under the profiler): {ms:.3f} ms CPU per message")
        return
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in found}
    for round_no in range(args.rounds):
        names = list(found) if round_no % 2 == 0 else list(reversed(found))
        for name in names:
            times[name].append(send(found[name], args.n))
    load_after = os.getloadavg()[0]
    first = next(iter(found))
    print(f"load average {load_before:.2f} -> {load_after:.2f}; {args.rounds} rounds x {args.n}")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / statistics.median(times[first])
        print(f"{name:>12}: {median:.3f} ms CPU per message (median of rounds), {ratio:.2f}x")


if __name__ == "__main__":
    main()
