"""The canvas of a demo picture: a lit backdrop, masks shaded into rounded objects, grain.

Subjects (``still_life.py``, ``scenes.py``) register themselves in ``SUBJECTS`` with
``@subject(name)`` and draw with a ``Scene``'s helpers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np

from tangerine.integrations.imaging import cv2

Canvas = np.ndarray  # float32, H x W x 3 (BGR), 0..1
Colour = tuple[float, float, float]  # BGR 0..1
# A multiplier over (rows, columns) of the canvas: knit stitches, a weave.
Pattern = Callable[[np.ndarray, np.ndarray], np.ndarray]


def bgr(hex_rgb: str) -> Colour:
    value = int(hex_rgb.lstrip("#"), 16)
    return ((value & 255) / 255, ((value >> 8) & 255) / 255, (value >> 16) / 255)


def scaled(colour: Colour, factor: float) -> Colour:
    b, g, r = (min(1.0, c * factor) for c in colour)
    return (b, g, r)


def jittered(colour: Colour, rng: random.Random, amount: float = 0.08) -> Colour:
    b, g, r = (min(1.0, max(0.0, c + rng.uniform(-amount, amount))) for c in colour)
    return (b, g, r)


class Scene:
    """A canvas with a light direction and the helpers the subjects draw with."""

    def __init__(self, *, width: int, height: int, rng: random.Random) -> None:
        self.w, self.h, self.rng = width, height, rng
        self.np = np.random.default_rng(rng.getrandbits(32))
        angle = rng.uniform(0, 2 * np.pi)
        self.light = np.array([np.cos(angle) * 0.7, np.sin(angle) * 0.7, 1.0], np.float32)
        self.light /= np.linalg.norm(self.light)
        self.img: Canvas = np.zeros((height, width, 3), np.float32)
        self.horizon = int(height * rng.uniform(0.3, 0.62))

    # --- backgrounds ----------------------------------------------------------------------
    def backdrop(self) -> None:
        rng, h = self.rng, self.h
        wall = bgr(rng.choice(["#f3ece2", "#e8eef2", "#f6e7d8", "#dfe6da", "#efe3ec", "#e9e4dc"]))
        table = rng.choice(["wood", "linen", "marble", "paper", "concrete"])
        glow = self._light_map()
        self.img[:] = np.array(wall, np.float32) * glow[..., None]
        surface = self._surface(table, h - self.horizon)
        self.img[self.horizon :] = surface * glow[self.horizon :, :, None]
        edge = max(2, h // 120)
        self.img[self.horizon : self.horizon + edge] *= 0.82

    def _light_map(self) -> np.ndarray:
        """Soft light over the backdrop: a gradient from the light's side and a few patches of
        window light, drawn at 1/8 size and enlarged (cheap, and smooth as real falloff)."""
        rng, sw, sh = self.rng, max(8, self.w // 8), max(8, self.h // 8)
        ys = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
        xs = np.linspace(0, 1, sw, dtype=np.float32)[None, :]
        small = 0.85 + 0.2 * ((xs - 0.5) * self.light[0] + (ys - 0.5) * self.light[1])
        for _ in range(rng.randint(3, 6)):
            bx, by = rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 1.1)
            radius = rng.uniform(0.1, 0.3)
            sign = 1 if rng.random() < 0.55 else -1
            blob = np.exp(-((xs - bx) ** 2 + (ys - by) ** 2) / (2 * radius * radius))
            small = small + sign * rng.uniform(0.1, 0.25) * blob
        return cv2.resize(small.astype(np.float32), (self.w, self.h), interpolation=cv2.INTER_CUBIC)

    def _surface(self, kind: str, rows: int) -> Canvas:
        rng, w = self.rng, self.w
        noise = self.np.standard_normal((rows, w)).astype(np.float32)
        if kind == "wood":
            base = jittered(bgr(rng.choice(["#a8774e", "#c49a6c", "#7a5236", "#d8b48a"])), rng)
            warp = cv2.GaussianBlur(noise, (0, 0), 18) * 40
            ys = np.arange(rows, dtype=np.float32)[:, None]
            grain = np.sin((ys + warp) * rng.uniform(0.08, 0.2)) * 0.07
            shade = 1 + grain + cv2.GaussianBlur(noise, (0, 0), 1.2) * 0.03
        elif kind == "linen":
            base = jittered(bgr(rng.choice(["#e6dccb", "#d9d2c5", "#cfd8d6", "#eadfd6"])), rng)
            fine = cv2.blur(noise, (1, 9)) + cv2.blur(noise, (9, 1))
            shade = 1 + fine * 0.06
        elif kind == "marble":
            base = bgr(rng.choice(["#f2f1ee", "#e9e7e3", "#ecebe8"]))
            veins = cv2.GaussianBlur(noise, (0, 0), 10)
            shade = 1 - np.exp(-((veins * 60) ** 2)) * 0.07
        elif kind == "paper":
            base = jittered(bgr(rng.choice(["#f7f3ea", "#fdf6e3", "#f0ebe0", "#ffe9d2"])), rng)
            shade = 1 + cv2.GaussianBlur(noise, (0, 0), 2) * 0.05
        else:
            base = jittered(bgr("#b9b6b0"), rng)
            shade = 1 + cv2.GaussianBlur(noise, (0, 0), 1.5) * 0.09
        return np.array(base, np.float32) * shade[..., None]

    # --- masks and shading ----------------------------------------------------------------
    def mask(self) -> np.ndarray:
        return np.zeros((self.h, self.w), np.uint8)

    def shade(
        self,
        mask: np.ndarray,
        colour: Colour,
        *,
        depth: float = 1.0,
        gloss: float = 0.25,
        texture: float = 0.0,
        pattern: Pattern | None = None,
    ) -> None:
        """Paint ``mask`` as a rounded object of ``colour`` lit by the scene's light.

        The distance to the mask's edge, blurred, is the object's height: its slope against the
        light gives the shading (a soft dome for a disc, a pillow for a box)."""
        x, y, w, h = cv2.boundingRect(mask)
        if w == 0 or h == 0:
            return
        pad = 4
        y0, y1 = max(0, y - pad), min(self.h, y + h + pad)
        x0, x1 = max(0, x - pad), min(self.w, x + w + pad)
        roi = mask[y0:y1, x0:x1]
        dist = cv2.distanceTransform(roi, cv2.DIST_L2, 3)
        reach = max(float(dist.max()), 1.0)
        height = np.sqrt(np.clip(dist / reach, 0, 1)) * reach * depth
        height = cv2.GaussianBlur(height, (0, 0), min(2 + reach * 0.25, 18))
        gx = cv2.Sobel(height, cv2.CV_32F, 1, 0, ksize=3) / 8
        gy = cv2.Sobel(height, cv2.CV_32F, 0, 1, ksize=3) / 8
        norm = np.sqrt(gx * gx + gy * gy + 1)
        lit = np.clip((-gx * self.light[0] - gy * self.light[1] + self.light[2]) / norm, 0, 1)
        body = np.array(colour, np.float32) * (0.3 + 0.8 * lit)[..., None]
        if texture:
            grain = self.np.standard_normal(roi.shape, dtype=np.float32)
            body *= (1 + cv2.GaussianBlur(grain, (0, 0), 1.0) * texture)[..., None]
        if pattern is not None:
            rows = np.arange(y0, y1, dtype=np.float32)[:, None]
            cols = np.arange(x0, x1, dtype=np.float32)[None, :]
            body *= np.broadcast_to(pattern(rows, cols), roi.shape)[..., None]
        body += (gloss * lit**24)[..., None]
        alpha = cv2.GaussianBlur(roi.astype(np.float32) / 255, (0, 0), 0.8)[..., None]
        region = self.img[y0:y1, x0:x1]
        region[:] = region * (1 - alpha) + np.clip(body, 0, 1) * alpha

    def _box(self, cx: float, cy: float, rx: float, ry: float) -> tuple[int, int, int, int]:
        return (
            max(0, int(cx - rx)),
            max(0, int(cy - ry)),
            min(self.w, int(cx + rx) + 1),
            min(self.h, int(cy + ry) + 1),
        )

    def shadow(self, cx: float, cy: float, rx: float, ry: float, strength: float = 0.35) -> None:
        dx, dy = -self.light[0] * rx * 0.35, -self.light[1] * ry * 0.35
        sx, sy = cx + dx, cy + dy
        blur = max(2.0, rx / 5)
        x0, y0, x1, y1 = self._box(sx, sy, rx + 3 * blur, ry + 3 * blur)
        if x1 <= x0 or y1 <= y0:
            return
        m = np.zeros((y1 - y0, x1 - x0), np.float32)
        axes = (max(1, int(rx)), max(1, int(ry)))
        cv2.ellipse(m, (int(sx) - x0, int(sy) - y0), axes, 0, 0, 360, 1.0, -1)
        soft = cv2.GaussianBlur(m, (0, 0), blur)
        self.img[y0:y1, x0:x1] *= (1 - strength * soft)[..., None]

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, angle: float = 0) -> np.ndarray:
        m = self.mask()
        axes = (max(1, int(rx)), max(1, int(ry)))
        cv2.ellipse(m, (int(cx), int(cy)), axes, angle, 0, 360, 255, -1, cv2.LINE_AA)
        return m

    def poly(self, points: Sequence[tuple[float, float]]) -> np.ndarray:
        m = self.mask()
        cv2.fillPoly(m, [np.array(points, np.int32)], 255, cv2.LINE_AA)
        return m

    def rect(self, x0: float, y0: float, x1: float, y1: float, radius: float = 0) -> np.ndarray:
        m = self.mask()
        r = int(max(0, min(radius, (x1 - x0) / 2, (y1 - y0) / 2)))
        a, b, c, d = int(x0), int(y0), int(x1), int(y1)
        cv2.rectangle(m, (a + r, b), (c - r, d), 255, -1)
        cv2.rectangle(m, (a, b + r), (c, d - r), 255, -1)
        for px, py in ((a + r, b + r), (c - r, b + r), (a + r, d - r), (c - r, d - r)):
            cv2.circle(m, (px, py), r, 255, -1, cv2.LINE_AA)
        return m

    def line(self, points: list[tuple[float, float]], colour: Colour, width: int) -> None:
        pts = np.array(points, np.int32)
        cv2.polylines(self.img, [pts], False, colour, width, cv2.LINE_AA)

    def glow(self, cx: float, cy: float, radius: float, colour: Colour, strength: float) -> None:
        x0, y0, x1, y1 = self._box(cx, cy, radius * 3, radius * 3)
        if x1 <= x0 or y1 <= y0:
            return
        ys = np.arange(y0, y1, dtype=np.float32)[:, None] - cy
        xs = np.arange(x0, x1, dtype=np.float32)[None, :] - cx
        falloff = np.exp(-(xs * xs + ys * ys) / (2 * radius * radius)) * strength
        self.img[y0:y1, x0:x1] += falloff[..., None] * np.array(colour, np.float32)

    def finish(self) -> bytes:
        ys = np.linspace(-1, 1, self.h, dtype=np.float32)[:, None]
        xs = np.linspace(-1, 1, self.w, dtype=np.float32)[None, :]
        vignette = 1 - 0.22 * (xs * xs + ys * ys) ** 1.5
        img: np.ndarray = cv2.GaussianBlur(self.img * vignette[..., None], (0, 0), 0.6)
        if self.rng.random() < 0.5:  # a mirror image is as believable, and hashes differently
            img = np.ascontiguousarray(img[:, ::-1])
        img = img + self.np.standard_normal(img.shape, dtype=np.float32) * 0.018
        out = np.clip(img * 255, 0, 255).astype(np.uint8)
        ok, buffer = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 90])
        if not ok:  # pragma: no cover (OpenCV always encodes a plain BGR array)
            raise RuntimeError("could not encode a demo picture")
        return buffer.tobytes()


Subject = Callable[[Scene, float, float, float], None]
SUBJECTS: dict[str, Subject] = {}


def subject(name: str) -> Callable[[Subject], Subject]:
    def register(fn: Subject) -> Subject:
        SUBJECTS[name] = fn
        return fn

    return register


def plate(s: Scene, cx: float, cy: float, rx: float, ry: float, colours: list[str]) -> None:
    """A plate or saucer with its shadow, in one of ``colours``."""
    s.shadow(cx, cy + ry * 0.2, rx * 1.05, ry * 1.05, 0.3)
    s.shade(s.ellipse(cx, cy, rx, ry), bgr(s.rng.choice(colours)), depth=0.15, gloss=0.3)
