"""What images announce to the apps above them (see ``core.hooks``): reports looks for copied
product photos once a picture's perceptual hash is known."""

from __future__ import annotations

from dataclasses import dataclass

from tangerine.core.hooks import Hook


@dataclass(frozen=True)
class ImageHashed:
    """Image ``image_id`` is ready and its perceptual hash was stored (processing or backfill)."""

    image_id: int


image_hashed: Hook[ImageHashed] = Hook("images.image_hashed")
