"""Check store links now (the periodic sweep does this on its own; see products/linkcheck.py)."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tangerine.products.linkcheck import link_check_product, link_checks_run
from tangerine.products.models import Product


class Command(BaseCommand):
    help = "Check the store links that are due (or one product's, --product UUID, due or not)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--product", help="check this product's link now")
        parser.add_argument("--limit", type=int, default=None, help="at most this many")

    def handle(self, *args: Any, product: str | None, limit: int | None, **options: Any) -> None:
        if product:
            try:
                key = uuid_lib.UUID(product)
            except ValueError:
                raise CommandError(f"{product!r} is not a product uuid.") from None
            found = Product.objects.filter(uuid=key).first()
            if found is None:
                raise CommandError(f"No product {product}.")
            check = link_check_product(product=found)
            found.refresh_from_db()
            issues = ", ".join(found.store_issues) or "none"
            self.stdout.write(f"{found.uuid}: {check.status} (issues: {issues})")
            return
        self.stdout.write(f"Checked {link_checks_run(limit=limit)} store link(s).")
