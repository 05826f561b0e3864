"""Image validation and re-encoding with OpenCV. The only module that imports ``cv2``.

Untrusted bytes go through, in this order: magic bytes (JPEG, PNG or WebP only; SVG, HEIC and
everything else are refused), dimensions read from the header by hand and a pixel cap checked
*before* any decoding, a completeness check (a truncated JPEG would otherwise decode into a grey
half-picture), the number of JPEG scans capped (a progressive "scan bomb" of thousands of scans
costs minutes of CPU), then a decode with OpenCV's own pixel cap armed, EXIF orientation applied
(OpenCV does it by default for JPEG), and re-encoding into fresh JPEG and WebP variants.
Re-encoding keeps pixels only, so EXIF (GPS included), ICC, comments and anything appended to the
file (polyglots) are gone.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass, field

# OpenCV reads this once, when cv2 is first imported; it refuses to allocate bigger images. Our
# own header check (``max_pixels``) runs first and may be stricter; this is the backstop for
# anything the header parser could miss. The default in OpenCV is about one gigapixel.
from tangerine import OPENCV_MAX_DECODE_PIXELS as MAX_DECODE_PIXELS

os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = str(MAX_DECODE_PIXELS)

import cv2
import numpy as np
from django.core.exceptions import ImproperlyConfigured

JPEG_QUALITY = 85
WEBP_QUALITY = 80
DEFAULT_WIDTHS = (1080, 320)
# JPEGs with more scans are refused before decoding (see jpeg_scan_count).
MAX_JPEG_SCANS = 100

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp"}

# JPEG start-of-frame markers (baseline, extended, progressive, lossless, arithmetic variants).
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImageRejectedError(Exception):
    """The bytes are not an image we accept; ``code`` is machine-readable, ``message`` human."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "jpeg" or "webp"
    data: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


@dataclass(frozen=True)
class Processed:
    source_format: str
    width: int  # of the original, after orientation
    height: int
    variants: list[Variant]


def sniff(data: bytes) -> str | None:
    """The format named by the file's magic bytes, or None when it is not one we accept."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _jpeg_walk(data: bytes) -> tuple[int, int, int]:
    """(width, height, offset of the first scan) from the marker segments of a JPEG."""
    size: tuple[int, int] | None = None
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ImageRejectedError("corrupt", "The JPEG structure is damaged.")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            raise ImageRejectedError("corrupt", "The JPEG structure is damaged.")
        if marker in _SOF_MARKERS:
            if i + 9 > n:
                break
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            if size is None:
                break
            return size[0], size[1], i
        i += 2 + length
    raise ImageRejectedError("truncated", "The JPEG file is truncated or has no image data.")


# After a scan's header, its entropy-coded data runs to the next marker: 0xFF followed by
# anything but a stuffed 0x00, a restart marker (0xD0-0xD7) or a fill byte 0xFF.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def jpeg_scan_count(data: bytes, *, stop_after: int | None = None) -> int:
    """How many scans (SOS segments) the JPEG's marker structure holds, without decoding.

    Baseline files have one scan, progressive ones about ten. Every further scan is one more
    pass over the whole picture's coefficients, so a file of thousands of tiny scans ("scan
    bomb") costs minutes of CPU per megabyte. Counting stops early past ``stop_after``.
    """
    scans = 0
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ImageRejectedError("corrupt", "The JPEG structure is damaged.")
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            i += 2
            continue
        if marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            raise ImageRejectedError("corrupt", "The JPEG structure is damaged.")
        if marker != 0xDA:
            i += 2 + length
            continue
        scans += 1
        if stop_after is not None and scans > stop_after:
            break
        found = _NEXT_MARKER.search(data, i + 2 + length)
        if found is None:
            break
        i = found.start()
    return scans


def _max_jpeg_scans() -> int:
    """``IMAGE_MAX_JPEG_SCANS`` from Django's settings when they are loaded, else the default."""
    try:
        from django.conf import settings

        return int(getattr(settings, "IMAGE_MAX_JPEG_SCANS", MAX_JPEG_SCANS))
    except ImproperlyConfigured:
        return MAX_JPEG_SCANS


def header_dimensions(data: bytes, fmt: str) -> tuple[int, int]:
    """(width, height) as the file's header states them, without decoding any pixels."""
    try:
        if fmt == "jpeg":
            width, height, _ = _jpeg_walk(data)
        elif fmt == "png":
            if data[12:16] != b"IHDR":
                raise ImageRejectedError("corrupt", "The PNG file has no header chunk.")
            width, height = struct.unpack(">II", data[16:24])
        elif fmt == "webp":
            chunk = data[12:16]
            if chunk == b"VP8 ":
                if data[23:26] != b"\x9d\x01\x2a":
                    raise ImageRejectedError("corrupt", "The WebP file is damaged.")
                w, h = struct.unpack("<HH", data[26:30])
                width, height = w & 0x3FFF, h & 0x3FFF
            elif chunk == b"VP8L":
                if data[20] != 0x2F:
                    raise ImageRejectedError("corrupt", "The WebP file is damaged.")
                (bits,) = struct.unpack("<I", data[21:25])
                width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            elif chunk == b"VP8X":
                width = int.from_bytes(data[24:27], "little") + 1
                height = int.from_bytes(data[27:30], "little") + 1
            else:
                raise ImageRejectedError("corrupt", "The WebP file is damaged.")
        else:
            raise ImageRejectedError(
                "unsupported_type", "Only JPEG, PNG and WebP images are accepted."
            )
    except (struct.error, IndexError):
        raise ImageRejectedError("truncated", "The image header is truncated.") from None
    if width <= 0 or height <= 0:
        raise ImageRejectedError("corrupt", "The image header states no size.")
    return width, height


def _check_complete(data: bytes, fmt: str) -> None:
    """Refuse files that end before their image data does (decoders would fill in grey)."""
    if fmt == "jpeg":
        _, _, scan = _jpeg_walk(data)
        # 0xFF 0xD9 cannot occur inside entropy-coded data (0xFF is stuffed there), so its
        # absence after the first scan means the file was cut.
        if data.find(b"\xff\xd9", scan) < 0:
            raise ImageRejectedError("truncated", "The JPEG file is truncated.")
    elif fmt == "png":
        if data.find(b"IEND", 33) < 0:
            raise ImageRejectedError("truncated", "The PNG file is truncated.")
    elif fmt == "webp":
        (riff_size,) = struct.unpack("<I", data[4:8])
        if len(data) < 8 + riff_size:
            raise ImageRejectedError("truncated", "The WebP file is truncated.")


def _reduction_flag(fmt: str, width: int, height: int, widest: int) -> tuple[int, int]:
    """(imdecode flag, factor): JPEG can decode at 1/2 or 1/4 scale straight from the DCT.

    The factor is chosen on the shorter side so the widest variant is still reachable whichever
    way EXIF orientation turns the picture.
    """
    if fmt == "jpeg":
        short = min(width, height)
        if short // 4 >= widest:
            return cv2.IMREAD_REDUCED_COLOR_4, 4
        if short // 2 >= widest:
            return cv2.IMREAD_REDUCED_COLOR_2, 2
        return cv2.IMREAD_COLOR, 1
    # PNG and WebP: keep the alpha channel to flatten it onto white below.
    return cv2.IMREAD_UNCHANGED, 1


def _to_bgr(image: np.ndarray) -> np.ndarray:
    """8-bit, 3-channel BGR; transparency flattened onto white."""
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        # dst=None (allocate the output) is what the binding accepts; its stubs omit the None.
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)  # type: ignore[call-overload]
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return _flatten_alpha(image)
    return image


# Rows blended at a time: float32 copies of a whole 50-megapixel RGBA picture took about 2 GB
# at once (a 10 MB PNG of one colour decodes to that); a band keeps the extra memory small.
_BLEND_ROWS = 256


def _flatten_alpha(image: np.ndarray) -> np.ndarray:
    """BGRA onto white, band by band into one uint8 BGR output."""
    height = image.shape[0]
    out = np.empty((height, image.shape[1], 3), dtype=np.uint8)
    for top in range(0, height, _BLEND_ROWS):
        band = image[top : top + _BLEND_ROWS]
        alpha = band[:, :, 3:4].astype(np.float32) / 255.0
        flat = band[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        out[top : top + _BLEND_ROWS] = flat.astype(np.uint8)
    return out


def _encode(image: np.ndarray, fmt: str) -> bytes:
    if fmt == "jpeg":
        ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    else:
        ok, buffer = cv2.imencode(".webp", image, [cv2.IMWRITE_WEBP_QUALITY, WEBP_QUALITY])
    if not ok:
        raise ImageRejectedError("encode_failed", "The image could not be re-encoded.")
    return buffer.tobytes()


def inspect(
    data: bytes, *, max_pixels: int, max_jpeg_scans: int | None = None
) -> tuple[str, int, int]:
    """Magic bytes, header dimensions, pixel cap, completeness and JPEG scan count; no decoding.

    ``max_jpeg_scans`` defaults to the ``IMAGE_MAX_JPEG_SCANS`` setting (100).

    Returns (format, width, height) as stored (before orientation) or raises ``ImageRejectedError``.
    """
    fmt = sniff(data)
    if fmt is None:
        raise ImageRejectedError(
            "unsupported_type", "The file is not a JPEG, PNG or WebP image (checked by content)."
        )
    width, height = header_dimensions(data, fmt)
    if width * height > min(max_pixels, MAX_DECODE_PIXELS):
        raise ImageRejectedError(
            "too_many_pixels",
            f"The image is {width}x{height} pixels; at most {max_pixels:,} pixels are accepted.",
        )
    _check_complete(data, fmt)
    if fmt == "jpeg":
        limit = _max_jpeg_scans() if max_jpeg_scans is None else max_jpeg_scans
        try:
            scans = jpeg_scan_count(data, stop_after=limit)
        except struct.error:
            raise ImageRejectedError("truncated", "The JPEG file is truncated.") from None
        if scans > limit:
            raise ImageRejectedError(
                "too_many_scans",
                f"The JPEG has more than {limit} scans (progressive images have about 10).",
            )
    return fmt, width, height


def process(
    data: bytes,
    *,
    max_pixels: int,
    widths: tuple[int, ...] = DEFAULT_WIDTHS,
    max_jpeg_scans: int | None = None,
) -> Processed:
    """Validate ``data`` and re-encode it into JPEG and WebP variants of the given widths.

    Variants are never wider than the (oriented) original: a small picture yields one size.
    Raises ``ImageRejectedError`` for anything it will not accept; never returns the input bytes.
    """
    fmt, width, height = inspect(data, max_pixels=max_pixels, max_jpeg_scans=max_jpeg_scans)
    flag, factor = _reduction_flag(fmt, width, height, max(widths))
    try:
        decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
    except cv2.error:
        raise ImageRejectedError("undecodable", "The image could not be decoded.") from None
    if decoded is None or decoded.size == 0:
        raise ImageRejectedError("undecodable", "The image could not be decoded.")
    image = _to_bgr(decoded)
    out_h, out_w = image.shape[:2]
    if factor == 1:
        full_w, full_h = out_w, out_h
    elif (out_w >= out_h) == (width >= height):
        full_w, full_h = width, height
    else:  # EXIF orientation turned the picture by 90 degrees
        full_w, full_h = height, width

    variants: list[Variant] = []
    source = image
    for target in sorted({min(w, out_w) for w in widths}, reverse=True):
        if target == source.shape[1]:
            resized = source
        else:
            target_h = max(1, round(source.shape[0] * target / source.shape[1]))
            resized = cv2.resize(source, (target, target_h), interpolation=cv2.INTER_AREA)
        variants.extend(
            Variant(
                width=resized.shape[1],
                height=resized.shape[0],
                format=out_fmt,
                data=_encode(resized, out_fmt),
            )
            for out_fmt in ("jpeg", "webp")
        )
        source = resized  # each smaller size from the previous one: less work
    return Processed(source_format=fmt, width=full_w, height=full_h, variants=variants)


def placeholder_jpeg(*, width: int, height: int, rgb: tuple[int, int, int], label: str) -> bytes:
    """A simple product picture (gradient, a fruit-like disc, an ASCII label) for demo data."""
    ys = np.linspace(0.75, 1.0, height, dtype=np.float32)[:, None, None]
    base = np.array(rgb[::-1], dtype=np.float32)[None, None, :]
    canvas = np.repeat((ys * base + (1 - ys) * 255).astype(np.uint8), width, axis=1)
    center = (width // 2, height // 2)
    radius = min(width, height) // 3
    cv2.circle(canvas, center, radius, (0, 140, 255), thickness=-1, lineType=cv2.LINE_AA)
    cv2.circle(canvas, center, radius, (0, 90, 200), thickness=4, lineType=cv2.LINE_AA)
    cv2.putText(
        canvas,
        label[:24],
        (width // 20, height - height // 12),
        cv2.FONT_HERSHEY_SIMPLEX,
        max(0.6, width / 900),
        (40, 40, 40),
        2,
        cv2.LINE_AA,
    )
    return _encode(canvas, "jpeg")
