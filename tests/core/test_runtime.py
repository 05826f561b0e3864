"""A served process settles its garbage collector at start (core/runtime.py, config/asgi.py):
what it holds is frozen and the youngest generation waits for more allocations. Management
commands and the test suite (GC_SETTLE_AT_START off) keep Python's defaults."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tangerine.core import runtime

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, json, tangerine.config.asgi;"
    "print(json.dumps([gc.get_threshold(), gc.get_freeze_count()]))"
)


def test_settle_collector_freezes_and_raises_the_thresholds() -> None:
    before = gc.get_threshold()
    try:
        frozen = runtime.settle_collector()
        assert frozen == gc.get_freeze_count() > 0
        assert gc.get_threshold() == runtime.GC_THRESHOLD != (700, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize(("setting", "settled"), [("true", True), ("false", False)])
def test_a_served_process_settles_at_start_unless_told_not_to(
    tmp_path: Path, setting: str, settled: bool
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp_path),
        "GC_SETTLE_AT_START": setting,
        "SEARCH_WARM_AT_START": "false",
        "LINK_CHECK_EVERY": "0",
    }
    out = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    threshold, frozen = json.loads(out.stdout.strip().splitlines()[-1])
    if settled:
        assert tuple(threshold) == runtime.GC_THRESHOLD and frozen > 10_000
    else:
        assert tuple(threshold) == (700, 10, 10) and frozen == 0
