"""Process background jobs of the ``database`` task backend until stopped."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from tangerine.core.tasks import run_pending_jobs


class Command(BaseCommand):
    help = "Run queued background jobs (TASKS_BACKEND=database); Ctrl-C stops after a job."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Idle poll interval (s).")

    def handle(self, *args: Any, burst: bool, sleep: float, **options: Any) -> None:
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            ran = run_pending_jobs(limit=50)
            if ran:
                self.stdout.write(f"ran {ran} job(s)")
            elif burst:
                return
            else:
                time.sleep(sleep)
