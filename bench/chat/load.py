"""The chat benchmark's load process: N WebSocket clients in rooms of 10, paced sends, every
ack and delivery timed in this one process (no clocks compared across processes).

Reads a JSON spec on stdin, prints one JSON result on stdout:
``{"url", "origin", "clients": [{"path", "room"}], "phases": [{"rate", "seconds"}],
"search_phases": [...], "grace", "server_pid", "ports"}``. The phases run in order, then the
search phases, which stop after the first that is not sustainable (p99 ≥ ``p99_limit_ms``,
anything missing or refused, or the rate could not be sent).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from collections import defaultdict
from typing import Any

import websockets

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))

from bench.chat import procstat


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Load:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.clients = spec["clients"]
        self.sockets: list[Any] = []
        self.sent: dict[str, tuple[float, int]] = {}
        self.acks: dict[str, float] = {}
        self.deliveries: dict[str, dict[int, float]] = defaultdict(dict)
        self.errors: dict[str, int] = defaultdict(int)
        members: dict[str, list[int]] = defaultdict(list)
        for i, client in enumerate(self.clients):
            members[client["room"]].append(i)
        self.others = [
            [j for j in members[c["room"]] if j != i] for i, c in enumerate(self.clients)
        ]

    async def open(self) -> float:
        started = time.perf_counter()
        limit = asyncio.Semaphore(20)

        async def one(client: dict[str, Any]) -> Any:
            async with limit:
                return await websockets.connect(
                    self.spec["url"] + client["path"],
                    origin=self.spec["origin"],
                    compression=None,
                    max_queue=None,
                    open_timeout=60,
                    ping_interval=None,
                )

        self.sockets = list(await asyncio.gather(*(one(c) for c in self.clients)))
        self.readers = [asyncio.create_task(self.read(i, ws)) for i, ws in enumerate(self.sockets)]
        return time.perf_counter() - started

    async def read(self, index: int, ws: Any) -> None:
        try:
            async for raw in ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message.ack":
                    self.acks.setdefault(frame["client_id"], now)
                elif kind == "message":
                    key = frame["message"].get("text") or ""
                    self.deliveries[key].setdefault(index, now)
                elif kind == "error":
                    self.errors[frame.get("code", "?")] += 1
        except websockets.ConnectionClosed:
            self.errors["closed"] += 1

    async def watch_loop(self, lags: list[tuple[float, float]], every: float = 0.005) -> None:
        """This process's own stalls: how late each short sleep wakes up (send time, ms). A
        delivery timed late because the load process was busy is not the server's."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(every)
            late = time.perf_counter() - before - every
            if late > 0.002:
                lags.append((before, late * 1000))

    async def phase(self, number: int, rate: float, seconds: float) -> dict[str, Any]:
        lags: list[tuple[float, float]] = []
        pauses: list[tuple[float, float]] = []
        gc_started: list[float] = []

        def on_gc(stage: str, info: dict[str, Any]) -> None:
            if stage == "start":
                gc_started[:] = [time.perf_counter()]
            elif gc_started:
                pauses.append((gc_started[0], (time.perf_counter() - gc_started[0]) * 1000))

        gc.callbacks.append(on_gc)
        watcher = asyncio.create_task(self.watch_loop(lags))
        try:
            row = await self._phase(number, rate, seconds)
        finally:
            watcher.cancel()
            gc.callbacks.remove(on_gc)
        row["load_stalls"] = {
            "loop_late_max_ms": round(max((ms for _, ms in lags), default=0.0), 2),
            "loop_late_over_10ms": sum(1 for _, ms in lags if ms > 10),
            "gc_pause_max_ms": round(max((ms for _, ms in pauses), default=0.0), 2),
            "gc_pauses_over_10ms": sum(1 for _, ms in pauses if ms > 10),
        }
        row["timeline"] = self.timeline(row.pop("_keys"), row.pop("_started"), lags)
        return row

    def timeline(
        self, keys: list[str], started: float, lags: list[tuple[float, float]]
    ) -> list[dict[str, Any]]:
        """Per second of sending: messages, delivery p99 and max of those sent in it, and the
        load process's longest stall in it; where in a run a tail came from."""
        seconds: dict[int, list[float]] = defaultdict(list)
        sent: dict[int, int] = defaultdict(int)
        missing: dict[int, int] = defaultdict(int)
        for k in keys:
            t0, sender = self.sent[k]
            second = int(t0 - started)
            sent[second] += 1
            for j in self.others[sender]:
                if j in self.deliveries[k]:
                    seconds[second].append((self.deliveries[k][j] - t0) * 1000)
                else:
                    missing[second] += 1
        late: dict[int, float] = defaultdict(float)
        for at, ms in lags:
            second = int(at - started)
            late[second] = max(late[second], ms)
        rows = []
        for second in sorted(sent):
            values = seconds[second]
            p99 = percentile(values, 0.99)
            rows.append(
                {
                    "second": second,
                    "messages": sent[second],
                    "delivery_p99_ms": None if p99 is None else round(p99, 2),
                    "delivery_max_ms": round(max(values), 2) if values else None,
                    "missing_deliveries": missing[second],
                    "load_late_max_ms": round(late[second], 2),
                }
            )
        return rows

    async def _phase(self, number: int, rate: float, seconds: float) -> dict[str, Any]:
        pid = self.spec.get("server_pid")
        cpu_before = procstat.cpu_seconds(pid) if pid else 0.0
        total = max(1, int(rate * seconds))
        keys = []
        started = time.perf_counter()
        sent = 0
        conns_during: dict[str, int] = {}
        while sent < total:
            due = min(total, int((time.perf_counter() - started) * rate) + 1)
            while sent < due:
                sender = sent % len(self.sockets)
                key = f"p{number}-{sent}"
                self.sent[key] = (time.perf_counter(), sender)
                keys.append(key)
                await self.sockets[sender].send(
                    json.dumps(
                        {
                            "type": "message.send",
                            "room": self.clients[sender]["room"],
                            "text": key,
                            "client_id": key,
                        }
                    )
                )
                sent += 1
            if pid and not conns_during and time.perf_counter() - started > seconds / 2:
                conns_during = procstat.connections(pid, self.spec["ports"])
            await asyncio.sleep(0.001)
        send_seconds = time.perf_counter() - started
        # Wait for everything, at most ``grace`` seconds after the last send.
        expected = sum(len(self.others[self.sent[k][1]]) for k in keys)
        deadline = time.perf_counter() + self.spec["grace"]
        while time.perf_counter() < deadline:
            got = sum(
                1 for k in keys for j in self.others[self.sent[k][1]] if j in self.deliveries[k]
            )
            if got >= expected and all(k in self.acks for k in keys):
                break
            await asyncio.sleep(0.05)
        cpu = (procstat.cpu_seconds(pid) - cpu_before) if pid else 0.0
        ack_ms = [(self.acks[k] - self.sent[k][0]) * 1000 for k in keys if k in self.acks]
        delivery_ms = []
        missing = 0
        for k in keys:
            t0, sender = self.sent[k]
            for j in self.others[sender]:
                if j in self.deliveries[k]:
                    delivery_ms.append((self.deliveries[k][j] - t0) * 1000)
                else:
                    missing += 1

        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "rate": rate,
            "messages": total,
            "send_rate": round(total / send_seconds, 1),
            "ack_p50_ms": r(percentile(ack_ms, 0.5)),
            "ack_p99_ms": r(percentile(ack_ms, 0.99)),
            "delivery_p50_ms": r(percentile(delivery_ms, 0.5)),
            "delivery_p99_ms": r(percentile(delivery_ms, 0.99)),
            "delivery_max_ms": r(max(delivery_ms) if delivery_ms else None),
            "missing_acks": total - len(ack_ms),
            "missing_deliveries": missing,
            "expected_deliveries": expected,
            "server_cpu_ms_per_message": round(cpu * 1000 / total, 3) if pid else None,
            "server_connections_during": conns_during,
            "errors": dict(self.errors),
            "_keys": keys,
            "_started": started,
        }

    async def settle(self, timeout: float = 60.0) -> None:
        """Before the next phase, let the server finish the last one: every message sent so far
        acknowledged (or ``timeout`` passed) and the server's CPU under 10 % for 0.5 s. Without
        it a step after an overloaded one inherits that backlog and fails for it."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and len(self.acks) < len(self.sent):
            await asyncio.sleep(0.1)
        pid = self.spec.get("server_pid")
        while pid and time.perf_counter() < deadline:
            before = procstat.cpu_seconds(pid)
            await asyncio.sleep(0.5)
            if procstat.cpu_seconds(pid) - before < 0.05:
                break

    async def run(self) -> dict[str, Any]:
        open_seconds = await self.open()
        await asyncio.sleep(0.5)
        results = []
        limit = self.spec.get("p99_limit_ms", 100.0)
        steady = [{**p, "search": False} for p in self.spec["phases"]]
        search = [{**p, "search": True} for p in self.spec.get("search_phases", [])]
        for number, p in enumerate(steady + search):
            self.errors.clear()
            row = await self.phase(number, p["rate"], p["seconds"])
            row["sustainable"] = bool(
                row["missing_deliveries"] == 0
                and row["missing_acks"] == 0
                and not row["errors"]
                and row["delivery_p99_ms"] is not None
                and row["delivery_p99_ms"] < limit
                and row["send_rate"] >= 0.95 * p["rate"]
            )
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            row["search"] = p["search"]
            if p["search"] and not row["sustainable"]:
                break
            await self.settle()
        for ws in self.sockets:
            await ws.close()
        for task in self.readers:
            task.cancel()
        return {
            "clients": len(self.clients),
            "open_seconds": round(open_seconds, 2),
            "phases": results,
        }


def main() -> None:
    spec = json.loads(sys.stdin.read())
    result = asyncio.run(Load(spec).run())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
