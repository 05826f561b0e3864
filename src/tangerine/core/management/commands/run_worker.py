"""Process background jobs of the ``database`` task backend until stopped."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from tangerine.core.tasks import run_pending_jobs


class Command(BaseCommand):
    help = "Run queued jobs (TASKS_BACKEND=database); SIGTERM or Ctrl-C stop after the job in hand."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Idle poll interval (s).")

    def handle(self, *args: Any, burst: bool, sleep: float, **options: Any) -> None:
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stopping:
                # A stop signal lets the job in hand finish (or fail and be retried) and claims
                # no other: the rest stay queued for the next worker.
                ran = run_pending_jobs(limit=50, stop=lambda: stopping)
                if ran:
                    self.stdout.write(f"ran {ran} job(s)")
                elif burst:
                    return
                else:
                    time.sleep(sleep)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
