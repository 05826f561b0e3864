"""The chat benchmark runs end to end at tiny sizes (``bench/run.py --smoke chat``): real
uvicorn, PostgreSQL, the Redis layer (the Pulsar layer only in real runs: its broker's start
would double the smoke's time), authenticated sockets, and the floor.

Figures are not judged (a tiny run on a shared machine means nothing), only that every message
was acknowledged and delivered and that both paths and both layers were measured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.test_smoke import smoke


@pytest.mark.postgres
@pytest.mark.redis
def test_chat_end_to_end(tmp_path: Path) -> None:
    record = smoke("chat", tmp_path)
    assert [layer["layer"] for layer in record["layers"]] == ["redis"]
    for layer in record["layers"]:
        for impl in ("chat", "floor"):
            steady = layer[impl]["steady"]
            assert steady["messages"] > 0 and steady["missing_acks"] == 0, (layer["layer"], impl)
            assert steady["expected_deliveries"] == 9 * steady["messages"] == 9 * 20
            assert steady["ack_p50_ms"] is not None and steady["delivery_p99_ms"] is not None
            assert layer[impl]["search"], "the rate search ran"
            # The timeline accounts for every message, and its slowest delivery is the run's.
            timeline = steady["timeline"]
            assert sum(second["messages"] for second in timeline) == steady["messages"]
            slowest = max(t["delivery_max_ms"] or 0 for t in timeline)
            assert slowest == steady["delivery_max_ms"]
            assert sum(t["missing_deliveries"] for t in timeline) == steady["missing_deliveries"]
            assert steady["load_stalls"]["loop_late_max_ms"] >= 0
        # The pool bounds what one process holds, under load and after it.
        assert layer["server_connections"]["after"]["postgresql"] <= 10
