"""Rebuild the search index (keyword postings and vectors) from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from tangerine.integrations import milvus
from tangerine.posts.models import Post
from tangerine.products.models import Product
from tangerine.search.models import SearchDocument
from tangerine.search.services import reindex_all


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
            help="Only items whose vector is not in the store (after the store was down).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["drop"]:
            milvus.drop_collection()
            SearchDocument.objects.update(dense_synced=False)
        total = Post.objects.count() + Product.objects.count()
        with tqdm(total=total, unit="item", disable=options["verbosity"] == 0) as bar:
            done = reindex_all(
                batch_size=options["batch_size"], only_missing=options["missing"], progress=bar
            )
        unsynced = SearchDocument.objects.filter(dense_synced=False).count()
        self.stdout.write(f"Indexed {done} items; {unsynced} without a vector.")
        milvus.close()
