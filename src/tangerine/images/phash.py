"""Perceptual hashes of processed pictures: near-identical photos get near-identical hashes.

A 64-bit difference hash (dHash): the picture in grey, shrunk to 9x8 pixels, one bit per pair of
neighbouring pixels (is the right one brighter?). Re-encoding, resizing and mild colour changes
flip few bits; a different photo flips about half. Always computed from our own smallest JPEG
variant (never from the untrusted upload), so the pipeline and the backfill agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Through our imaging module, which arms OpenCV's pixel cap before cv2 loads.
from tangerine.integrations.imaging import cv2

BITS = 64
_SIGN = 1 << (BITS - 1)


def dhash(data: bytes) -> int | None:
    """The signed 64-bit dHash of encoded image ``data`` (fits a BigIntegerField), or None
    when it cannot be decoded."""
    decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if decoded is None or decoded.size == 0:
        return None
    small = cv2.resize(decoded, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value - (1 << BITS) if value & _SIGN else value


def distance(a: int, b: int) -> int:
    """How many of the 64 bits differ (the Hamming distance of two signed hashes)."""
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


def hash_source(variants: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The variant a hash is computed from: the narrowest JPEG."""
    jpegs = [v for v in variants if v.get("format") == "jpeg" and v.get("key")]
    return min(jpegs, key=lambda v: int(v.get("width") or 0)) if jpegs else None
