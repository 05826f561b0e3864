"""The bench's CPU reading of a server with worker processes (bench/chat/procstat.py): a
process's descendants are found and their CPU counted with its own (issue 17: the API bench
with ``--processes 2`` runs uvicorn's workers under its supervisor)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bench.chat import procstat

# A parent that only sleeps, over a child that only spins.
PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_a_process_tree_counts_its_childrens_cpu() -> None:
    parent = subprocess.Popen(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True
    )
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        deadline = time.monotonic() + 20
        while procstat.cpu_seconds(child) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.1)
        tree = procstat.process_tree(parent.pid)
        assert tree[0] == parent.pid and child in tree
        own, total = procstat.cpu_seconds(parent.pid), procstat.tree_cpu_seconds(parent.pid)
        assert total >= own + 0.3  # the child's spinning is counted
        assert procstat.process_tree(child) == [child]
    finally:
        if child:
            os.kill(child, signal.SIGKILL)
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
