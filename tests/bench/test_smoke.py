"""Every benchmark runs end to end at tiny sizes (``bench/run.py --smoke``), so none can rot.

The figures are not checked (tiny runs on a shared machine mean nothing), only that each
script finishes and records what it measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def smoke(name: str, tmp_path: Path) -> dict:
    env = {**os.environ, "BENCH_DB": "tangerine_bench_smoke", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "bench/run.py", "--smoke", "--results", str(tmp_path), name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    record = json.loads((tmp_path / f"{name}.json").read_text())
    assert proc.returncode == 0, record.get("errors") or proc.stderr[-3000:]
    assert record["returncode"] == 0 and record["smoke"] is True
    return record


@pytest.mark.postgres
def test_data_generator(tmp_path: Path) -> None:
    record = smoke("data", tmp_path)
    assert record["rows"] > 0 and record["rows_per_s"] > 0


@pytest.mark.postgres
@pytest.mark.redis
def test_api_under_load(tmp_path: Path) -> None:
    record = smoke("api", tmp_path)
    assert {r["endpoint"] for r in record["rows"]} == {"feed", "products_price_asc", "search_users"}
    assert all(c["drf_status"] == 200 for c in record["checks"].values())
    assert all(c.get("same_json", True) for c in record["checks"].values())
    assert record["ratios"] and all(r["rps_ratio"] for r in record["ratios"])
    # DRF and the peer alternate in slices (loadgen.py's sides): every round has both.
    rounds = {(r["endpoint"], r["round"], r["impl"]) for r in record["round_rows"]}
    assert ("feed", 0, "drf") in rounds and ("feed", 0, "peer") in rounds
    assert all(r["cpu_ms_per_request"] is not None for r in record["round_rows"])
    # The in-process tools read the database the smoke run left.
    for tool in (
        ["bench/api/cpu_compare.py", "--rounds", "2", "-n", "2", "--only", "latest,hello"],
        ["bench/api/cpu_profile.py", "--only", "latest", "-n", "3", "--top", "3", "--peer"],
    ):
        proc = subprocess.run(  # noqa: S603 (our own script)
            [sys.executable, *tool, "--db", "tangerine_bench_smoke"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "latest" in proc.stdout


@pytest.mark.postgres
@pytest.mark.slow
def test_feed_sql(tmp_path: Path) -> None:
    assert smoke("feed", tmp_path)["rows"]


@pytest.mark.postgres
@pytest.mark.redis
def test_growth(tmp_path: Path) -> None:
    record = smoke("growth", tmp_path)  # one small database (the real run: 20k and 200k)
    assert record["runs"][0]["posts"] == 300
    for run in record["runs"]:
        assert set(run["feed_sql"]) == {"none", "few", "many"}
        feed = run["endpoints"]["feed_few"]
        assert feed["drf"]["queries"] == feed["peer"]["queries"]
        assert "Execution Time" in feed["slowest_query"]["plan"]


@pytest.mark.redis
def test_channel_layers(tmp_path: Path) -> None:
    assert smoke("channels", tmp_path)["rows"]


def test_image_pipeline(tmp_path: Path) -> None:
    assert smoke("images", tmp_path)["medians"]["seconds"] > 0


def test_search_latency(tmp_path: Path) -> None:
    assert smoke("search", tmp_path)["latency"]
