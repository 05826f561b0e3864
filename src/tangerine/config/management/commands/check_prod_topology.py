"""Refuse a multi-process start on defaults one process keeps to itself (config/topology.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tangerine.config.topology import api_processes, topology_problems


class Command(BaseCommand):
    help = (
        "Check that the database, cache, channel layer, vector store and job backend can be "
        "shared by the Procfile's processes (api x API_PROCESSES, worker, web); exit 1 if not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        processes = api_processes()
        problems = topology_problems(processes=processes)
        if problems:
            lines = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(
                "Refusing to start several processes on embedded defaults that cannot be "
                f"shared:\n{lines}\nSee docs/operations.md, 'Environment variables'."
            )
        self.stdout.write(
            f"Topology OK: {processes} API process(es), worker and web can share every service."
        )
