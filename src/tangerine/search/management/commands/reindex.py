"""Rebuild the search index (keyword postings and vectors) from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tangerine.integrations import milvus
from tangerine.posts.models import Post
from tangerine.products.models import Product
from tangerine.search.models import SearchDocument
from tangerine.search.services import (
    IndexIncompleteError,
    index_complete_or_raise,
    missing_vector_count,
    reindex_all,
)


class Command(BaseCommand):
    help = "Rebuild the search index from the database, with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument(
            "--drop", action="store_true", help="Drop the vector collection first (fresh build)."
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only visible items without a vector (after the store was down or a job failed).",
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help=(
                "Then keep sweeping until every visible item has a vector; fail (exit 1) if "
                "any still lacks one after --timeout seconds."
            ),
        )
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["drop"]:
            milvus.drop_collection()
            SearchDocument.objects.update(dense_synced=False)
        total = (
            missing_vector_count(repair=False)
            if options["missing"]
            else Post.objects.count() + Product.objects.count()
        )
        with tqdm(total=total, unit="item", disable=options["verbosity"] == 0) as bar:
            done = reindex_all(
                batch_size=options["batch_size"], only_missing=options["missing"], progress=bar
            )
        if options["complete"]:
            try:
                done += index_complete_or_raise(
                    timeout=options["timeout"], batch_size=options["batch_size"]
                )
            except IndexIncompleteError as exc:
                raise CommandError(str(exc)) from exc
        missing = missing_vector_count(repair=False)
        self.stdout.write(f"Indexed {done} items; {missing} without a vector.")
