"""The registry of demo-data steps for ``manage.py seed_demo``.

Each app that contributes demo data registers a step in ``AppConfig.ready()`` with an ``order``
(accounts first: everything else needs its people). Steps in the ``"data"`` phase run in one
transaction; ``"after"`` steps (the search index) run once the data is committed. A step reads and
extends the shared ``DemoContext``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class DemoContext:
    rng: random.Random
    with_images: bool = True
    # Filled by the steps: ``users`` (accounts), then whatever a later step needs.
    users: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Settings a step turned off for the data phase, for a later step to restore.
    paused: dict[str, Any] = field(default_factory=dict)
    # What several steps share (the one demo picture maker, the products made).
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[DemoContext], None]
    phase: Literal["data", "after"] = "data"


_steps: dict[str, DemoStep] = {}


def register(step: DemoStep) -> None:
    _steps[step.name] = step


def steps(phase: Literal["data", "after"]) -> list[DemoStep]:
    return sorted((s for s in _steps.values() if s.phase == phase), key=lambda s: s.order)
