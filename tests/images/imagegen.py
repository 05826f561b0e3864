"""Real image bytes for tests, made with OpenCV and by hand (EXIF, PNG chunks)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import numpy as np

# Through our imaging module, which arms OpenCV's pixel cap before cv2 loads.
from tangerine.integrations.imaging import cv2

RED = (0, 0, 255)  # BGR
BLUE = (255, 0, 0)


def halves(width: int, height: int, left: tuple[int, int, int] = RED) -> np.ndarray:
    """Left half ``left`` (red), right half blue: orientation shows in where red ends up."""
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, : width // 2] = left
    image[:, width // 2 :] = BLUE
    return image


def noisy(width: int, height: int, seed: int = 1) -> np.ndarray:
    """Photo-like content (smooth gradients plus noise) so sizes are realistic."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    ys = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    base = np.stack([xs + 0 * ys, ys + 0 * xs, (xs + ys) / 2], axis=2)
    return np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)


def encode(image: np.ndarray, ext: str = ".jpg") -> bytes:
    ok, buffer = cv2.imencode(ext, image)
    assert ok
    return buffer.tobytes()


def jpeg(width: int = 1600, height: int = 1200) -> bytes:
    return encode(noisy(width, height), ".jpg")


def png(width: int = 640, height: int = 480) -> bytes:
    return encode(noisy(width, height), ".png")


def webp(width: int = 640, height: int = 480) -> bytes:
    return encode(noisy(width, height), ".webp")


GPS_LATITUDE = (37, 33, 5800)  # 37°33'58.00" N, Seoul
GPS_LONGITUDE = (126, 58, 4100)


def exif_app1(*, orientation: int) -> bytes:
    """A minimal little-endian EXIF APP1 segment: IFD0 with Orientation and a GPS IFD."""
    ifd0_offset, gps_offset = 8, 38
    lat_offset, lon_offset = 92, 116

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")

    ifd0 = struct.pack("<H", 2)
    ifd0 += entry(0x0112, 3, 1, struct.pack("<H", orientation))  # Orientation (SHORT)
    ifd0 += entry(0x8825, 4, 1, struct.pack("<I", gps_offset))  # GPS IFD pointer (LONG)
    ifd0 += struct.pack("<I", 0)
    gps = struct.pack("<H", 4)
    gps += entry(0x0001, 2, 2, b"N\x00")  # GPSLatitudeRef
    gps += entry(0x0002, 5, 3, struct.pack("<I", lat_offset))  # GPSLatitude (3 RATIONAL)
    gps += entry(0x0003, 2, 2, b"E\x00")  # GPSLongitudeRef
    gps += entry(0x0004, 5, 3, struct.pack("<I", lon_offset))  # GPSLongitude
    gps += struct.pack("<I", 0)

    def rationals(d: int, m: int, s100: int) -> bytes:
        return struct.pack("<IIIIII", d, 1, m, 1, s100, 100)

    tiff = b"II*\x00" + struct.pack("<I", ifd0_offset) + ifd0 + gps
    assert len(tiff) == lat_offset
    tiff += rationals(*GPS_LATITUDE) + rationals(*GPS_LONGITUDE)
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_exif(image: np.ndarray, *, orientation: int) -> bytes:
    plain = encode(image, ".jpg")
    return plain[:2] + exif_app1(orientation=orientation) + plain[2:]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A small real PNG whose header is rewritten to claim ``width`` x ``height``."""
    real = png(8, 8)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return real[:8] + _png_chunk(b"IHDR", ihdr) + real[33:]


def png_bomb(side: int = 7100) -> bytes:
    """A genuine, valid grey PNG of side x side zero pixels that compresses to ~50 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def polyglot() -> bytes:
    """A valid JPEG followed by a zip archive and a script (a classic polyglot)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.js", "alert(document.cookie)")
    return jpeg(400, 300) + archive.getvalue() + b"<script>alert(1)</script>"


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
TEXT = b"Just some text pretending to be a photo.\n" * 20


def decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def jpeg_segments(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's header segments up to the first scan."""
    markers, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return markers


def scene(seed: int, width: int = 1200, height: int = 900) -> np.ndarray:
    """A photo-like picture whose structure depends on ``seed`` (shapes on a gradient, blurred,
    with sensor noise): two seeds give two different photos, for perceptual hashing."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    first, second = rng.integers(0, 255, 3), rng.integers(0, 255, 3)
    base = (first * (1 - xs * ys) + second * xs * ys).astype(np.uint8)
    image = np.broadcast_to(base, (height, width, 3)).copy()
    for _ in range(12):
        color = tuple(int(v) for v in rng.integers(0, 255, 3))
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        if rng.random() < 0.5:
            cv2.circle(image, (x, y), int(rng.integers(40, 250)), color, -1)
        else:
            corner = (x + int(rng.integers(50, 400)), y + int(rng.integers(50, 300)))
            cv2.rectangle(image, (x, y), corner, color, -1)
    image = cv2.GaussianBlur(image, (0, 0), 3)
    return np.clip(image + rng.normal(0, 8, image.shape), 0, 255).astype(np.uint8)


def scene_jpeg(seed: int, *, width: int = 1200, quality: int = 90) -> bytes:
    """``scene(seed)`` as a JPEG, resized to ``width`` (keeping the aspect) and re-encoded."""
    image = scene(seed)
    if width != image.shape[1]:
        height = round(image.shape[0] * width / image.shape[1])
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buffer.tobytes()
