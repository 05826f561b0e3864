"""How an image is frozen into moderation evidence (a report's snapshot of what was seen)."""

from __future__ import annotations

from typing import Any

from tangerine.images.models import Image


def image_evidence(image: Image) -> dict[str, Any]:
    """A reference to a stored image: the keys stay valid as long as storage keeps the files."""
    return {
        "uuid": str(image.uuid),
        "status": image.status,
        "key": image.key,
        "width": image.width,
        "height": image.height,
        "variants": [
            {"key": v.get("key"), "width": v.get("width"), "format": v.get("format")}
            for v in (image.variants or [])
        ],
    }
