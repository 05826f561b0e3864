"""The last demo step: build the search index over the committed demo data."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError

from tangerine.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    try:
        call_command("reindex", verbosity=0)
    except CommandError as exc:  # the search index is optional for browsing
        ctx.notes.append(f"Search index not built: {exc}")
