"""The last demo step: build the search index over the committed demo data, completely.

Demo data without vectors would make the first searches of a newcomer quietly worse, so the step
waits for every item's vector and fails loudly (the command exits non-zero) if it cannot.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError

from tangerine.core.demo import DemoContext
from tangerine.search.services import IndexIncompleteError, index_complete_or_raise


def seed(ctx: DemoContext) -> None:
    call_command("reindex", verbosity=0)
    try:
        index_complete_or_raise(timeout=120)
    except IndexIncompleteError as exc:
        raise CommandError(f"Search index incomplete after seeding: {exc}") from exc
    ctx.notes.append("Search index complete.")
