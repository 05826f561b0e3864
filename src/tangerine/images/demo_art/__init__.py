"""Pictures for the demo data, drawn at seed time (nothing downloaded, no bundled photos).

Each subject (a box of tangerines, a mug, a knitted scarf, a candle, a loaf...) is built from
masks that a small shader turns into lit, rounded objects (a distance transform as the height
map, lit from a random side), on a table and a wall with their own texture, then grain and a
vignette, so the pictures read as photos of things rather than flat clip-art. Everything varies
with the ``rng``: colours, counts, placement, light, background. ``DemoArt`` re-draws a picture
whose perceptual hash comes too close to one it made before, so the copied-photo detector
(``images/phash.py``) never mistakes two demo pictures for one.

``demo_image_create`` sends the bytes through the same pipeline as a user's upload (stored
original, ``image_process``: checks, variants, hash), synchronously.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from tangerine.core.demo import DemoContext
from tangerine.images import phash
from tangerine.images.demo_art import scenes, still_life  # noqa: F401 (they register subjects)
from tangerine.images.demo_art.scene import SUBJECTS, Scene
from tangerine.images.models import Image
from tangerine.images.tasks import image_process
from tangerine.integrations.imaging import cv2
from tangerine.integrations.storage import image_storage

__all__ = ["SUBJECTS", "DemoArt", "art_for", "demo_image_create"]

# Two demo pictures must differ in more bits than this (the detector's limit is 6).
MIN_HASH_DISTANCE = 10
_MAX_TRIES = 8


class DemoArt:
    """Draws demo pictures whose perceptual hashes stay far apart from each other."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.hashes: list[int] = []

    def _distinct(self, draw: Callable[[random.Random], bytes]) -> bytes:
        """Draw until the picture's hash is ``MIN_HASH_DISTANCE`` bits from every earlier one
        (at most ``_MAX_TRIES`` times; then the farthest of the tries)."""
        best, best_gap, best_hash = b"", -1, None
        for _ in range(_MAX_TRIES):
            data = draw(random.Random(self.rng.getrandbits(64)))  # noqa: S311 (pictures)
            value = _hash_like_pipeline(data)
            if value is None:
                continue
            gap = min((phash.distance(value, seen) for seen in self.hashes), default=64)
            if gap > best_gap:
                best, best_gap, best_hash = data, gap, value
            if gap >= MIN_HASH_DISTANCE:
                break
        if best_hash is not None:
            self.hashes.append(best_hash)
        return best

    def picture(self, kind: str, *, width: int = 720, height: int = 720) -> bytes:
        """A JPEG of ``kind`` (one of ``SUBJECTS``)."""
        draw_subject = SUBJECTS[kind]

        def draw(rng: random.Random) -> bytes:
            scene = Scene(width=width, height=height, rng=rng)
            if kind != "sea":
                scene.backdrop()
            size = min(width, height) * rng.uniform(0.24, 0.32)
            cx = width * rng.uniform(0.32, 0.68)
            cy = max(scene.horizon + size * 0.2, height * rng.uniform(0.5, 0.62))
            draw_subject(scene, cx, cy, size)
            return scene.finish()

        return self._distinct(draw)

    def avatar(self, *, size: int = 320) -> bytes:
        def draw(rng: random.Random) -> bytes:
            scene = Scene(width=size, height=size, rng=rng)
            scenes.avatar(scene, rng)
            return scene.finish()

        return self._distinct(draw)


def art_for(ctx: DemoContext) -> DemoArt:
    """The one picture maker of a seed run, shared by its steps (so all pictures stay apart)."""
    art = ctx.shared.get("art")
    if not isinstance(art, DemoArt):
        art = ctx.shared["art"] = DemoArt(ctx.rng)
    return art


def _hash_like_pipeline(data: bytes) -> int | None:
    """The dHash the pipeline will store (it hashes its 320 px JPEG variant)."""
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        return None
    scale = 320 / decoded.shape[1]
    small = cv2.resize(
        decoded, (320, max(1, round(decoded.shape[0] * scale))), interpolation=cv2.INTER_AREA
    )
    ok, buffer = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return phash.dhash(buffer.tobytes()) if ok else None


def demo_image_create(*, owner: Any, data: bytes) -> Image | None:
    """Store ``data`` as ``owner``'s upload and process it now, as a user's upload would be
    (checks, variants, perceptual hash). Returns the ready image, or None if it failed."""
    image_uuid = uuid.uuid4()
    image = Image.objects.create(
        uuid=image_uuid,
        owner=owner,
        content_type="image/jpeg",
        size=len(data),
        key=f"uploads/{owner.uuid}/{image_uuid}",
        status=Image.Status.PROCESSING,
    )
    image_storage().original_put(key=image.key, data=data)
    image_process(image_id=image.pk)  # synchronously: the demo starts with ready images
    image.refresh_from_db()
    return image if image.status == Image.Status.READY else None
