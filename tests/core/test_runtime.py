"""A served process settles its garbage collector at start (core/runtime.py, config/asgi.py):
what it holds is frozen and the youngest generation waits for more allocations. Management
commands and the test suite (GC_SETTLE_AT_START off) keep Python's defaults."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from tangerine.core import runtime
from tests.support.probe import served_process_probe

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, json, tangerine.config.asgi;"
    "print(json.dumps([gc.get_threshold(), gc.get_freeze_count()]))"
)


def test_settle_collector_freezes_and_raises_the_thresholds() -> None:
    before = gc.get_threshold()
    try:
        frozen = runtime.settle_collector()
        # Frozen objects freed since (by another thread of the worker) leave the count.
        assert frozen >= gc.get_freeze_count() > frozen * 0.9 > 0
        assert gc.get_threshold() == runtime.GC_THRESHOLD != (700, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize(("setting", "settled"), [("true", True), ("false", False)])
def test_a_served_process_settles_at_start_unless_told_not_to(
    tmp_path: Path, setting: str, settled: bool
) -> None:
    line = served_process_probe(PROBE, tmp_path, GC_SETTLE_AT_START=setting)
    threshold, frozen = json.loads(line)
    if settled:
        assert tuple(threshold) == runtime.GC_THRESHOLD and frozen > 10_000
    else:
        assert tuple(threshold) == (700, 10, 10) and frozen == 0
