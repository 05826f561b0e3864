"""Create a small, believable community for local development (`make run` calls it once).

The command knows no app: each app registers its demo step (``core.demo``) in ``ready()``.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from tangerine.core import demo


class Command(BaseCommand):
    help = "Create demo users, posts, products, follows, likes, comments and notifications."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if users exist.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")
        parser.add_argument("--no-images", action="store_true", help="Skip generated images.")

    def handle(
        self, *args: Any, if_empty: bool, seed: int, no_images: bool, **options: Any
    ) -> None:
        if get_user_model().objects.exists():
            if if_empty:
                self.stdout.write("Demo data: the database already has users; nothing to do.")
                return
            raise CommandError("The database already has users; use a fresh database.")
        ctx = demo.DemoContext(
            rng=random.Random(seed),  # noqa: S311 (repeatable demo data, not secrets)
            with_images=not no_images,
        )
        data, after = demo.steps("data"), demo.steps("after")
        took: list[str] = []

        def run(step: demo.DemoStep, bar: Any) -> None:
            bar.set_postfix_str(step.name)
            started = time.perf_counter()
            step.run(ctx)
            took.append(f"{step.name} {time.perf_counter() - started:.1f}")
            bar.update()

        started = time.perf_counter()
        with tqdm(total=len(data) + len(after), desc="Seeding demo data", unit="step") as bar:
            with transaction.atomic():
                for step in data:
                    run(step, bar)
            for step in after:
                run(step, bar)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready: {len(ctx.users)} users. {' '.join(ctx.notes)}"
            )
        )
        total = time.perf_counter() - started
        self.stdout.write(f"Seeded in {total:.1f} s (seconds per step: {', '.join(took)}).")
