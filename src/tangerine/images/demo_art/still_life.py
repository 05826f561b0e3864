"""Demo subjects on a table: tangerines, a mug, knits, candles, ceramics, a plant, bread, books,
jars and soap. Each draws at (cx, cy) about ``size`` pixels across.
"""

from __future__ import annotations

import numpy as np

from tangerine.images.demo_art.scene import Colour, Scene, bgr, jittered, plate, scaled, subject
from tangerine.integrations.imaging import cv2


def _sphere_fruit(s: Scene, x: float, y: float, r: float, colour: Colour) -> None:
    s.shadow(x, y + r * 0.85, r * 1.05, r * 0.35)
    s.shade(s.ellipse(x, y, r, r * 0.9), jittered(colour, s.rng, 0.05), gloss=0.35, texture=0.12)
    leaf = s.ellipse(x + r * 0.3, y - r * 0.95, r * 0.42, r * 0.16, s.rng.uniform(-40, 10))
    if s.rng.random() < 0.6:
        s.shade(leaf, jittered(bgr("#3f7d2c"), s.rng), depth=0.4, gloss=0.2)


@subject("citrus")
def _citrus(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    orange = bgr(rng.choice(["#f28c1a", "#f5a020", "#ee7d12", "#f6b03a"]))
    if rng.random() < 0.5:  # a crate
        bw, bh = size * 1.7, size * 0.75
        top = cy - bh * 0.2
        s.shadow(cx, top + bh, bw * 0.55, bh * 0.25, 0.45)
        for i in range(rng.randint(4, 6)):
            fx = cx - bw * 0.4 + (i % 3) * bw * 0.4 + rng.uniform(-8, 8)
            fy = top - size * 0.08 - (i // 3) * size * 0.22 + rng.uniform(-5, 5)
            _sphere_fruit(s, fx, fy, size * rng.uniform(0.26, 0.32), orange)
        crate = jittered(bgr(rng.choice(["#c8a27a", "#b88a5a", "#d9c3a0"])), rng)
        s.shade(s.rect(cx - bw / 2, top, cx + bw / 2, top + bh, 6), crate, depth=0.15)
        for k in range(1, 3):
            yy = top + bh * k / 3
            s.line([(cx - bw / 2, yy), (cx + bw / 2, yy)], (0.3, 0.4, 0.5), 2)
    else:
        for _ in range(rng.randint(3, 7)):
            r = size * rng.uniform(0.22, 0.34)
            _sphere_fruit(
                s, cx + rng.uniform(-size, size), cy + rng.uniform(-size, size) * 0.4, r, orange
            )


@subject("mug")
def _mug(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    glaze = jittered(bgr(rng.choice(["#6f9ccf", "#e9e2d6", "#4c6b58", "#c76b4f", "#2f3a4a"])), rng)
    w, h = size * 0.9, size * 1.0
    s.shadow(cx, cy + h / 2, w * 0.7, w * 0.2, 0.45)
    handle = s.mask()
    cv2.ellipse(
        handle,
        (int(cx + w / 2), int(cy)),
        (int(w * 0.28), int(h * 0.28)),
        0,
        -90,
        90,
        255,
        int(w * 0.11),
        cv2.LINE_AA,
    )
    s.shade(handle, glaze, depth=0.3)
    body = s.rect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, w * 0.12)
    band_y = cy + h * rng.uniform(-0.2, 0.3)

    def band(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return 1 - 0.22 * (np.abs(rows - band_y) < h * 0.04)

    s.shade(body, glaze, depth=0.5, gloss=0.4, texture=0.05, pattern=band)
    rim = s.ellipse(cx, cy - h / 2, w / 2, w * 0.14)
    s.shade(rim, scaled(glaze, 0.9), depth=0.1)
    coffee = bgr(rng.choice(["#4a2c1a", "#c79a6b", "#6b3e22"]))
    s.shade(s.ellipse(cx, cy - h / 2 + 2, w / 2 - 7, w * 0.12 - 4), coffee, depth=0.05, gloss=0.5)


@subject("knit")
def _knit(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    yarn = jittered(
        bgr(rng.choice(["#c0392b", "#e67e22", "#2e5e8c", "#7d8c4a", "#d8c3a5", "#8e5b9a"])), rng
    )
    period = rng.uniform(9, 14)

    def pattern(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        stitch = np.abs(((cols / period) % 1.0) - 0.5) * 2
        return 0.82 + 0.18 * np.cos(((rows / period) + stitch * 0.6) * 2 * np.pi)

    if rng.random() < 0.5:  # a folded scarf
        for k in range(3):
            off = (k - 1) * size * 0.35
            band = s.rect(
                cx - size * 1.2, cy + off - size * 0.22, cx + size * 1.2, cy + off + size * 0.22, 20
            )
            s.shadow(cx, cy + off + size * 0.25, size * 1.2, size * 0.1, 0.25)
            s.shade(band, jittered(yarn, rng, 0.03), depth=0.6, texture=0.1, pattern=pattern)
        for i in range(6):  # fringe
            fx = cx + size * 1.2 + 4
            s.line(
                [
                    (fx, cy - size * 0.3 + i * size * 0.12),
                    (fx + size * 0.25, cy - size * 0.25 + i * size * 0.12),
                ],
                yarn,
                4,
            )
    else:  # a beanie
        s.shadow(cx, cy + size * 0.55, size * 0.95, size * 0.2, 0.4)
        dome = s.mask()
        cv2.ellipse(
            dome,
            (int(cx), int(cy)),
            (int(size * 0.85), int(size * 0.9)),
            0,
            180,
            360,
            255,
            -1,
            cv2.LINE_AA,
        )
        s.shade(dome, yarn, depth=0.8, texture=0.12, pattern=pattern)
        cuff = s.rect(cx - size * 0.9, cy - 4, cx + size * 0.9, cy + size * 0.45, 14)
        s.shade(cuff, scaled(yarn, 0.92), depth=0.4, texture=0.1, pattern=pattern)
        s.shade(
            s.ellipse(cx, cy - size * 0.95, size * 0.28, size * 0.26),
            jittered(yarn, rng, 0.1),
            texture=0.35,
        )


@subject("candle")
def _candle(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    for k in range(rng.randint(1, 3)):
        x = cx + (k - 1) * size * 0.8 + rng.uniform(-10, 10)
        h = size * rng.uniform(0.7, 1.2)
        w = size * 0.55
        wax = jittered(bgr(rng.choice(["#f4efe4", "#f7d9c4", "#e9efe0", "#f2e0a8"])), rng, 0.03)
        s.shadow(x, cy + h / 2, w * 0.7, w * 0.2)
        s.shade(
            s.rect(x - w / 2, cy - h / 2, x + w / 2, cy + h / 2, 10), wax, depth=0.4, gloss=0.15
        )
        s.line([(x, cy - h / 2), (x + 2, cy - h / 2 - 14)], (0.1, 0.1, 0.1), 2)
        s.shade(s.ellipse(x + 2, cy - h / 2 - 26, 7, 16), (0.55, 0.85, 1.0), depth=0.2, gloss=0.6)
        s.glow(x, cy - h / 2 - 26, size * 0.5, (0.2, 0.45, 0.7), 0.35)


@subject("ceramic")
def _ceramic(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    glaze = jittered(bgr(rng.choice(["#d8d2c4", "#8fa9a3", "#b5654a", "#3c4f6b", "#e6c9a8"])), rng)
    if rng.random() < 0.5:  # a vase
        neck, belly, h = size * 0.22, size * 0.6, size * 1.5
        pts = [
            (cx - neck, cy - h / 2),
            (cx - neck * 0.8, cy - h * 0.3),
            (cx - belly, cy + h * 0.1),
            (cx - belly * 0.7, cy + h / 2),
            (cx + belly * 0.7, cy + h / 2),
            (cx + belly, cy + h * 0.1),
            (cx + neck * 0.8, cy - h * 0.3),
            (cx + neck, cy - h / 2),
        ]
        s.shadow(cx, cy + h / 2, belly * 0.9, belly * 0.25)
        s.shade(s.poly(pts), glaze, gloss=0.45, texture=0.05)
        if rng.random() < 0.6:
            for i in range(3):
                s.line(
                    [(cx, cy - h / 2), (cx + (i - 1) * size * 0.4, cy - h / 2 - size * 0.7)],
                    (0.25, 0.45, 0.3),
                    3,
                )
                s.shade(
                    s.ellipse(cx + (i - 1) * size * 0.4, cy - h / 2 - size * 0.72, 14, 10),
                    bgr(rng.choice(["#f2c14e", "#f6f1e9", "#e58f9e"])),
                )
    else:  # bowls
        for k in range(rng.randint(1, 3)):
            w = size * (1.1 - k * 0.25)
            y = cy - k * size * 0.28
            bowl = s.mask()
            cv2.ellipse(
                bowl, (int(cx), int(y)), (int(w), int(w * 0.6)), 0, 0, 180, 255, -1, cv2.LINE_AA
            )
            if k == 0:
                s.shadow(cx, y + w * 0.55, w, w * 0.2)
            s.shade(bowl, jittered(glaze, rng, 0.05), gloss=0.4, texture=0.06)
            s.shade(s.ellipse(cx, y, w, w * 0.18), scaled(glaze, 0.8), depth=0.1)


@subject("plant")
def _plant(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    pot = jittered(bgr(rng.choice(["#c4673d", "#e8e4dc", "#3d3d3d", "#d9b38c", "#7f9fb5"])), rng)
    top, bottom = cy, cy + size * 0.8
    s.shadow(cx, bottom, size * 0.55, size * 0.15)
    leaf_colour = bgr(rng.choice(["#2f6b2f", "#3d7f3a", "#557f3a", "#2d5a3d"]))
    for _ in range(rng.randint(6, 11)):
        angle = rng.uniform(-150, -30)
        length = size * rng.uniform(0.6, 1.2)
        lx = cx + np.cos(np.radians(angle)) * length * 0.6
        ly = top + np.sin(np.radians(angle)) * length * 0.6
        s.line([(cx, top), (lx, ly)], (0.2, 0.4, 0.2), 3)
        s.shade(
            s.ellipse(lx, ly, length * 0.38, length * 0.16, angle),
            jittered(leaf_colour, rng, 0.06),
            depth=0.4,
            gloss=0.3,
        )
    s.shade(
        s.poly(
            [
                (cx - size * 0.5, top),
                (cx + size * 0.5, top),
                (cx + size * 0.38, bottom),
                (cx - size * 0.38, bottom),
            ]
        ),
        pot,
        depth=0.4,
        texture=0.08,
    )


@subject("bread")
def _bread(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    crust = jittered(bgr(rng.choice(["#b9773a", "#c98c4b", "#9c5d2b", "#d9a066"])), rng)
    if rng.random() < 0.5:  # a loaf with scoring
        s.shadow(cx, cy + size * 0.45, size * 1.2, size * 0.25, 0.45)
        s.shade(
            s.ellipse(cx, cy, size * 1.15, size * 0.55, rng.uniform(-8, 8)),
            crust,
            texture=0.2,
            gloss=0.15,
        )
        for i in range(rng.randint(3, 5)):
            x = cx - size * 0.7 + i * size * 0.35
            s.line(
                [(x, cy - size * 0.3), (x + size * 0.25, cy + size * 0.2)],
                scaled(crust, 1.45),
                5,
            )
    else:  # cookies or scones on a plate
        plate(s, cx, cy, size * 1.3, size * 0.55, ["#f2f0ed", "#e4ecef", "#f3e6d8"])
        for _ in range(rng.randint(4, 7)):
            x, y = (
                cx + rng.uniform(-size * 0.8, size * 0.8),
                cy + rng.uniform(-size * 0.25, size * 0.2),
            )
            r = size * rng.uniform(0.2, 0.28)
            s.shade(s.ellipse(x, y, r, r * 0.75), jittered(crust, rng, 0.05), texture=0.25)
            for _ in range(3):
                s.shade(
                    s.ellipse(x + rng.uniform(-r / 2, r / 2), y + rng.uniform(-r / 3, r / 3), 5, 4),
                    (0.1, 0.15, 0.25),
                    depth=0.2,
                )


@subject("books")
def _books(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    y = cy + size * 0.6
    s.shadow(cx, y, size * 1.1, size * 0.15, 0.4)
    for _ in range(rng.randint(3, 6)):
        w, h = size * rng.uniform(1.4, 2.0), size * rng.uniform(0.16, 0.28)
        x = cx + rng.uniform(-size * 0.15, size * 0.15)
        cover = jittered(
            bgr(
                rng.choice(
                    ["#8e3b3b", "#2f4f6f", "#d9b44a", "#4a6b4a", "#e8e2d0", "#5b4a7a", "#c75c2e"]
                )
            ),
            rng,
        )
        s.shade(s.rect(x - w / 2, y - h, x + w / 2, y, 4), cover, depth=0.2, texture=0.05)
        s.line(
            [(x - w / 2 + 10, y - h * 0.55), (x - w / 2 + w * 0.35, y - h * 0.55)],
            (0.85, 0.85, 0.8),
            2,
        )
        y -= h


@subject("jar")
def _jar(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    fill = bgr(rng.choice(["#e8741a", "#c0392b", "#f2a93b", "#8e2b4a", "#d35400"]))
    for k in range(rng.randint(1, 3)):
        x = cx + (k - 1) * size * 0.85 + rng.uniform(-6, 6)
        w, h = size * 0.62, size * 0.85
        s.shadow(x, cy + h / 2, w * 0.6, w * 0.18)
        s.shade(
            s.rect(x - w / 2, cy - h / 2, x + w / 2, cy + h / 2, 18),
            jittered(fill, rng, 0.04),
            gloss=0.7,
            texture=0.03,
        )
        label = bgr(rng.choice(["#f4ecd8", "#ffffff", "#e0d6c2"]))
        s.shade(
            s.rect(x - w / 2 + 4, cy - h * 0.1, x + w / 2 - 4, cy + h * 0.25), label, depth=0.05
        )
        s.shade(
            s.rect(x - w * 0.45, cy - h / 2 - size * 0.16, x + w * 0.45, cy - h / 2 + 2, 6),
            bgr(rng.choice(["#b08d57", "#d94f3d", "#3b3b3b"])),
            gloss=0.5,
        )


@subject("soap")
def _soap(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    for k in range(rng.randint(2, 4)):
        x, y = cx + rng.uniform(-size * 0.7, size * 0.7), cy + k * size * 0.18 - size * 0.2
        w, h = size * 0.75, size * 0.42
        colour = jittered(
            bgr(rng.choice(["#f5d76e", "#f3b28f", "#b8d8b0", "#e8d5f0", "#fbf4e4"])), rng, 0.04
        )
        s.shadow(x, y + h / 2, w * 0.55, h * 0.25)
        s.shade(
            s.rect(x - w / 2, y - h / 2, x + w / 2, y + h / 2, h * 0.35),
            colour,
            depth=0.5,
            texture=0.06,
            gloss=0.1,
        )
