"""The idle-socket benchmark at tiny sizes (``bench/run.py --smoke sockets``), and what it
promises whatever the size: one server process's PostgreSQL and Redis connections stay within
its pools while sockets are open and after they all closed (no churn, no leak)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.test_smoke import smoke


@pytest.mark.postgres
@pytest.mark.redis
def test_sockets_open_and_close_within_the_connection_pools(tmp_path: Path) -> None:
    record = smoke("sockets", tmp_path)
    chat = [row for row in record["rows"] if row["kind"] == "chat"]
    assert [row["sockets"] for row in chat] == [0, 20, 40, 0]
    assert all(row["failed"] == 0 for row in chat if "failed" in row)
    assert chat[-2]["kib_per_socket"] is not None
    bounds = record["bounds"]
    samples = [row["connections"] for row in record["rows"]]
    for churn in record["churn"]:
        samples += [churn["connections_open"], churn["connections_after"]]
    for sample in samples:
        assert sample["postgresql"] <= bounds["postgresql"], sample
        assert sample["redis"] <= bounds["redis"], sample
