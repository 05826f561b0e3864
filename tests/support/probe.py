"""Run a few lines in a fresh interpreter configured as a served process (SQLite in a temporary
folder, no search warm-up, no store checks): for what importing ``tangerine.config.asgi`` does,
which starts background work (periodic sweeps, search repair) that must not run in a test
worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def served_process_probe(code: str, tmp_path: Path, **env: str | None) -> str:
    """The last line ``code`` prints; ``env`` overrides the environment (None removes)."""
    full = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp_path),
        "SEARCH_WARM_AT_START": "false",
        "LINK_CHECK_EVERY": "0",
    }
    for key, value in env.items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    out = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]
