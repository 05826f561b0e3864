"""The last demo step: build the search index over the committed demo data, completely.

Demo data without vectors would make the first searches of a newcomer quietly worse, so the step
waits for every item's vector and fails loudly (the command exits non-zero) if it cannot.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tangerine.core.demo import DemoContext
from tangerine.search.services import IndexIncompleteError, index_complete_or_raise


def pause_index_jobs(ctx: DemoContext) -> None:
    """First data step: no index job per demo row (they would race the one reindex below)."""
    ctx.paused["SEARCH_INDEX_SYNC"] = settings.SEARCH_INDEX_SYNC
    settings.SEARCH_INDEX_SYNC = False


def seed(ctx: DemoContext) -> None:
    if "SEARCH_INDEX_SYNC" in ctx.paused:
        settings.SEARCH_INDEX_SYNC = ctx.paused.pop("SEARCH_INDEX_SYNC")
    call_command("reindex", verbosity=0)
    try:
        index_complete_or_raise(timeout=120)
    except IndexIncompleteError as exc:
        raise CommandError(f"Search index incomplete after seeding: {exc}") from exc
    ctx.notes.append("Search index complete.")
