"""More demo subjects (a camera, a keyboard, the sea, coffee, a cat, bottles, a bag, a dish) and
the profile portrait. Each draws at (cx, cy) about ``size`` pixels across.
"""

from __future__ import annotations

import random

import numpy as np

from tangerine.images.demo_art.scene import Scene, bgr, jittered, plate, subject
from tangerine.integrations.imaging import cv2


@subject("camera")
def _camera(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    w, h = size * 1.7, size * 1.0
    body = bgr(rng.choice(["#2b2b2b", "#3a3a3a", "#5a4632"]))
    s.shadow(cx, cy + h / 2, w * 0.6, h * 0.15, 0.45)
    s.shade(
        s.rect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 12), body, depth=0.3, texture=0.15
    )
    s.shade(
        s.rect(cx - w / 2, cy - h / 2, cx + w / 2, cy - h * 0.18, 10),
        (0.78, 0.78, 0.8),
        depth=0.2,
        gloss=0.6,
    )
    s.shade(s.ellipse(cx, cy + h * 0.08, h * 0.42, h * 0.42), (0.12, 0.12, 0.12), gloss=0.3)
    s.shade(s.ellipse(cx, cy + h * 0.08, h * 0.26, h * 0.26), (0.35, 0.22, 0.18), gloss=0.9)
    s.shade(s.ellipse(cx + w * 0.32, cy - h * 0.52, size * 0.12, size * 0.06), (0.7, 0.7, 0.72))


@subject("keyboard")
def _keyboard(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    w, h = size * 2.4, size * 0.85
    case = bgr(rng.choice(["#d9d6cf", "#2e2e33", "#c9d4de", "#efe6d8"]))
    caps = [
        bgr(c)
        for c in rng.sample(["#f2f0ea", "#4a4a50", "#e07a5f", "#81b29a", "#3d405b", "#f2cc8f"], 2)
    ]
    s.shadow(cx, cy + h / 2, w * 0.55, h * 0.15, 0.4)
    s.shade(s.rect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 12), case, depth=0.15)
    key = w / 16
    for row in range(5):
        for col in range(15):
            x = cx - w / 2 + key * 0.6 + col * key
            y = cy - h / 2 + key * 0.5 + row * key * 0.98
            colour = caps[1] if (col in (0, 14) or row == 4) else caps[0]
            s.shade(s.rect(x, y, x + key * 0.86, y + key * 0.82, 4), colour, depth=0.3)


@subject("sea")
def _sea(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    h, w = s.h, s.w
    horizon = int(h * rng.uniform(0.38, 0.55))
    top = np.array(bgr(rng.choice(["#6fa8dc", "#f7b267", "#a3c4dc", "#f4978e"])), np.float32)
    low = np.array(bgr(rng.choice(["#fdebd3", "#e8f1f8", "#ffd9b3"])), np.float32)
    t = np.linspace(0, 1, horizon, dtype=np.float32)[:, None, None]
    s.img[:horizon] = top * (1 - t) + low * t
    sea = np.array(bgr(rng.choice(["#2f6f8f", "#3b7ea1", "#1f5673"])), np.float32)
    rows = h - horizon
    wave = s.np.standard_normal((rows, w)).astype(np.float32)
    ripples = 1 + cv2.GaussianBlur(wave, (0, 0), 1.0, sigmaY=0.3) * 0.15
    depth = np.linspace(0.8, 1.1, rows, dtype=np.float32)[:, None]
    s.img[horizon:] = sea * (ripples * depth)[..., None]
    sun_x = w * rng.uniform(0.2, 0.8)
    s.glow(sun_x, horizon - h * 0.12, w * 0.12, (0.6, 0.8, 1.0), 0.7)
    for _ in range(rng.randint(2, 5)):  # clouds
        s.glow(
            rng.uniform(0, w),
            rng.uniform(0, horizon * 0.6),
            w * rng.uniform(0.05, 0.1),
            (0.25, 0.25, 0.25),
            0.5,
        )
    if rng.random() < 0.6:  # a dark shore of basalt in front
        pts = [(0, h), (0, h - h * rng.uniform(0.1, 0.25))]
        pts += [(x, h - h * rng.uniform(0.05, 0.2)) for x in np.linspace(w * 0.1, w, 6)]
        pts.append((w, h))
        s.shade(s.poly(pts), (0.16, 0.17, 0.18), depth=0.2, texture=0.3)


@subject("coffee")
def _coffee(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    plate(s, cx, cy, size * 1.1, size * 1.0, ["#f5f2ec", "#dfe8ef", "#2f2f2f"])
    s.shade(
        s.ellipse(cx, cy, size * 0.72, size * 0.66),
        bgr(rng.choice(["#f6f3ee", "#e3c9a8", "#5c7c6b"])),
        gloss=0.4,
    )
    s.shade(s.ellipse(cx, cy, size * 0.58, size * 0.53), bgr("#7a4a2a"), depth=0.05, gloss=0.4)
    heart = [
        (cx, cy + size * 0.3),
        (cx - size * 0.32, cy - size * 0.05),
        (cx - size * 0.16, cy - size * 0.25),
        (cx, cy - size * 0.1),
        (cx + size * 0.16, cy - size * 0.25),
        (cx + size * 0.32, cy - size * 0.05),
    ]
    s.shade(s.poly(heart), bgr("#e9d8c0"), depth=0.05, texture=0.1)
    if rng.random() < 0.7:
        s.shade(
            s.rect(cx + size * 1.3, cy - size * 0.6, cx + size * 1.45, cy + size * 0.6, 6),
            (0.72, 0.72, 0.74),
            gloss=0.8,
        )


@subject("pet")
def _pet(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    fur = bgr(rng.choice(["#d9822b", "#f0e6d6", "#3a3a3a", "#b07c4f", "#9a9a9a"]))
    s.shadow(cx, cy + size * 0.55, size * 1.2, size * 0.25, 0.45)
    s.shade(s.ellipse(cx, cy + size * 0.15, size * 1.1, size * 0.55), fur, texture=0.25)  # body
    hx, hy = cx + size * rng.choice([-0.8, 0.8]), cy - size * 0.25
    for side in (-1, 1):
        ear = [
            (hx + side * size * 0.42, hy - size * 0.12),
            (hx + side * size * 0.3, hy - size * 0.62),
            (hx + side * size * 0.05, hy - size * 0.3),
        ]
        s.shade(s.poly(ear), fur, depth=0.5, texture=0.2)
    s.shade(s.ellipse(hx, hy, size * 0.48, size * 0.42), fur, texture=0.25)
    for side in (-1, 1):
        s.shade(
            s.ellipse(hx + side * size * 0.18, hy - size * 0.05, size * 0.07, size * 0.04),
            (0.08, 0.08, 0.08),
            gloss=0.8,
        )
    s.shade(s.ellipse(hx, hy + size * 0.12, size * 0.06, size * 0.04), (0.25, 0.2, 0.3), depth=0.3)


@subject("bottles")
def _bottles(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    for k in range(rng.randint(2, 4)):
        x = cx + (k - 1.5) * size * 0.6 + rng.uniform(-5, 5)
        w, h = size * rng.uniform(0.35, 0.5), size * rng.uniform(0.8, 1.5)
        colour = jittered(
            bgr(rng.choice(["#f4ede4", "#f2c6b4", "#c9dfe8", "#e8d7a8", "#d98f8f"])), rng, 0.04
        )
        s.shadow(x, cy + size * 0.5, w * 0.6, w * 0.15)
        s.shade(
            s.rect(x - w / 2, cy + size * 0.5 - h, x + w / 2, cy + size * 0.5, w * 0.25),
            colour,
            depth=0.5,
            gloss=0.5,
        )
        s.shade(
            s.rect(
                x - w * 0.22,
                cy + size * 0.5 - h - size * 0.18,
                x + w * 0.22,
                cy + size * 0.5 - h + 2,
                4,
            ),
            bgr(rng.choice(["#2e2e2e", "#c9a86a", "#ffffff"])),
            gloss=0.6,
        )


@subject("bag")
def _bag(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    cloth = jittered(bgr(rng.choice(["#d8cbb0", "#c2b59b", "#7a8b6f", "#e5ddd0", "#334a5e"])), rng)
    w, h = size * 1.3, size * 1.3
    handle = s.mask()
    cv2.ellipse(
        handle,
        (int(cx), int(cy - h / 2)),
        (int(w * 0.28), int(h * 0.35)),
        0,
        180,
        360,
        255,
        int(size * 0.08),
        cv2.LINE_AA,
    )
    s.shade(handle, cloth, depth=0.3, texture=0.2)
    s.shadow(cx, cy + h / 2, w * 0.6, h * 0.12, 0.4)

    def weave(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return 1 + 0.05 * np.sin(cols * 1.3) * np.sin(rows * 1.3)

    s.shade(
        s.poly(
            [
                (cx - w / 2, cy - h / 2),
                (cx + w / 2, cy - h / 2),
                (cx + w * 0.55, cy + h / 2),
                (cx - w * 0.55, cy + h / 2),
            ]
        ),
        cloth,
        depth=0.25,
        texture=0.15,
        pattern=weave,
    )


@subject("food")
def _food(s: Scene, cx: float, cy: float, size: float) -> None:
    rng = s.rng
    plate(s, cx, cy, size * 1.4, size * 0.62, ["#f4f1ea", "#2f3b45", "#d9cbb5"])
    s.shade(
        s.ellipse(cx, cy, size * 1.0, size * 0.42),
        bgr(rng.choice(["#d9a441", "#c98a3a", "#e0b25a"])),
        texture=0.3,
        gloss=0.25,
    )
    for _ in range(rng.randint(8, 14)):
        x, y = cx + rng.uniform(-size * 0.8, size * 0.8), cy + rng.uniform(-size * 0.3, size * 0.3)
        s.shade(
            s.ellipse(x, y, size * 0.18, size * 0.035, rng.uniform(0, 180)),
            jittered(bgr("#4f8a3a"), rng),
            depth=0.3,
        )


def avatar(s: Scene, rng: random.Random) -> None:
    """A round-faced portrait placeholder that reads as a person's photo at 40 px."""
    w, h = s.w, s.h
    top = np.array(
        bgr(rng.choice(["#f6d5b8", "#cfe3f2", "#d7ecd9", "#f2d7e6", "#efe4c8"])), np.float32
    )
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    s.img[:] = top * (1.05 - 0.25 * t)
    skin = jittered(bgr(rng.choice(["#f1c9a5", "#e0ac82", "#c68b5e", "#f5d6bc"])), rng, 0.03)
    hair = bgr(rng.choice(["#1e1a18", "#3b2a20", "#5a3e2b", "#2b2b33"]))
    shirt = jittered(bgr(rng.choice(["#3d5a80", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a"])), rng)
    s.shade(s.ellipse(w / 2, h * 1.05, w * 0.42, h * 0.33), shirt, depth=0.4, texture=0.08)
    s.shade(s.ellipse(w / 2, h * 0.42, w * 0.27, h * 0.29), hair, depth=0.6, texture=0.2)
    s.shade(s.ellipse(w / 2, h * 0.5, w * 0.21, h * 0.25), skin, gloss=0.1)
    fringe = s.mask()
    cv2.ellipse(
        fringe,
        (int(w / 2), int(h * 0.38)),
        (int(w * 0.23), int(h * 0.14)),
        rng.uniform(-15, 15),
        180,
        360,
        255,
        -1,
        cv2.LINE_AA,
    )
    s.shade(fringe, hair, depth=0.4, texture=0.2)
