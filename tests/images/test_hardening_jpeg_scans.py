"""Progressive-JPEG scan bombs are refused from the marker structure, before any decoding."""

from __future__ import annotations

import re
import struct
import time

import numpy as np
import pytest
from pytest_django import Settings

from tangerine.integrations import imaging
from tangerine.integrations.imaging import cv2

SIZE = 600


def _progressive_jpeg(size: int = SIZE) -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
    ok, buffer = cv2.imencode(
        ".jpg", pixels, [cv2.IMWRITE_JPEG_PROGRESSIVE, 1, cv2.IMWRITE_JPEG_QUALITY, 90]
    )
    assert ok
    return buffer.tobytes()


def _scan_bomb(scans: int, size: int = SIZE) -> bytes:
    """A valid progressive JPEG with its smallest scan repeated ``scans`` times before EOI.

    Each repeated scan is one more pass of the decoder over every coefficient of the picture;
    a file made of thousands of them kept the job threads busy for minutes.
    """
    data = _progressive_jpeg(size)
    eoi = data.rfind(b"\xff\xd9")
    starts = [m.start() for m in re.finditer(b"\xff\xda", data)]
    ends = [*starts[1:], eoi]
    smallest = min(range(len(starts)), key=lambda k: ends[k] - starts[k])
    scan = data[starts[smallest] : ends[smallest]]
    return data[:eoi] + scan * scans + data[eoi:]


def _with_exif_thumbnail(jpeg: bytes, thumbnail: bytes) -> bytes:
    """``jpeg`` with an APP1 segment carrying another JPEG (SOS markers inside a segment)."""
    payload = b"Exif\x00\x00" + thumbnail
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def test_a_normal_progressive_jpeg_has_about_ten_scans_and_is_processed() -> None:
    data = _progressive_jpeg()
    scans = imaging.jpeg_scan_count(data)
    assert 2 <= scans <= 20
    assert scans == data.count(b"\xff\xda")  # no stray markers in this file
    result = imaging.process(data, max_pixels=50_000_000)
    assert result.width == SIZE


def test_a_baseline_jpeg_has_one_scan() -> None:
    ok, buffer = cv2.imencode(".jpg", np.zeros((64, 64, 3), dtype=np.uint8))
    assert ok
    assert imaging.jpeg_scan_count(buffer.tobytes()) == 1


def test_scans_inside_an_exif_thumbnail_are_not_counted() -> None:
    data = _progressive_jpeg()
    thumb = _scan_bomb(30, size=16)
    assert len(thumb) < 60_000
    assert imaging.jpeg_scan_count(_with_exif_thumbnail(data, thumb)) == data.count(b"\xff\xda")


def test_a_scan_bomb_is_refused_quickly_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _scan_bomb(3000)
    assert imaging.jpeg_scan_count(bomb) > 3000

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bomb reached the decoder")

    monkeypatch.setattr(imaging.cv2, "imdecode", no_decoding)
    started = time.monotonic()
    with pytest.raises(imaging.ImageRejectedError) as refused:
        imaging.process(bomb, max_pixels=50_000_000)
    elapsed = time.monotonic() - started
    assert refused.value.code == "too_many_scans"
    assert elapsed < 0.5, elapsed


@pytest.mark.django_db
def test_the_scan_limit_comes_from_the_setting(settings: Settings) -> None:
    settings.IMAGE_MAX_JPEG_SCANS = 5
    with pytest.raises(imaging.ImageRejectedError) as refused:
        imaging.inspect(_scan_bomb(10), max_pixels=50_000_000)
    assert refused.value.code == "too_many_scans"
    settings.IMAGE_MAX_JPEG_SCANS = 100
    imaging.inspect(_scan_bomb(10), max_pixels=50_000_000)
