"""Memory while processing a large transparent PNG (a small upload can decode to a big picture)."""

from __future__ import annotations

import tracemalloc

import numpy as np

from tangerine.integrations import imaging
from tests.images import imagegen


def test_flattening_transparency_does_not_copy_the_whole_picture_as_floats() -> None:
    width, height = 4000, 3000  # 12 megapixels: 48 MB as BGRA bytes once decoded
    picture = np.zeros((height, width, 4), dtype=np.uint8)
    picture[:, :, 2] = 255
    picture[:, :, 3] = 128  # half transparent: every pixel goes through the blend
    data = imagegen.encode(picture, ".png")
    assert len(data) < 1_000_000  # one colour compresses well: a small upload

    tracemalloc.start()
    try:
        result = imaging.process(data, max_pixels=50_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.width == width
    # The decoded picture (48 MB) and its BGR copy (36 MB) are needed; float32 copies of the
    # whole picture (144 MB for the colours alone) are not.
    assert peak < 130_000_000, f"peak {peak / 1e6:.0f} MB"
    red = imagegen.decode(result.variants[0].data)[0, 0]
    assert abs(int(red[2]) - 255) <= 3 and abs(int(red[1]) - 128) <= 6  # red on white, half
