"""Repair stuck images and delete orphaned ones once (the worker also runs this periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tangerine.images.services import images_sweep


class Command(BaseCommand):
    help = (
        "Queue again images left 'processing' by a job that died (or fail them after "
        "IMAGE_PROCESSING_GIVE_UP_SECONDS) and delete images never completed or never attached "
        "after IMAGE_ORPHAN_GRACE_SECONDS, with their files; hash ready images that have no "
        "perceptual hash yet (a batch per run)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = images_sweep()
        self.stdout.write(
            f"images: {result.retried} queued again, {result.failed} failed, "
            f"{result.deleted} orphaned deleted, {result.hashed} hashed"
        )
