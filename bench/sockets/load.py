"""The socket benchmark's client process: opens and closes WebSockets when told.

One JSON command a line on stdin, one JSON answer a line on stdout:
``{"cmd": "open", "url", "origin", "paths": [...]}`` → ``{"opened", "failed", "seconds"}``;
``{"cmd": "close"}`` → ``{"closed", "seconds"}``; ``{"cmd": "exit"}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import websockets


async def open_all(cmd: dict[str, Any], sockets: list[Any]) -> dict[str, Any]:
    started = time.perf_counter()
    limit = asyncio.Semaphore(cmd.get("concurrency", 50))
    failed = 0

    async def one(path: str) -> None:
        nonlocal failed
        async with limit:
            try:
                ws = await websockets.connect(
                    cmd["url"] + path,
                    origin=cmd["origin"],
                    compression=None,
                    open_timeout=120,
                    ping_interval=None,
                )
            except (OSError, websockets.WebSocketException, TimeoutError):
                failed += 1
                return
            sockets.append(ws)

    await asyncio.gather(*(one(p) for p in cmd["paths"]))
    # A socket refused after the handshake (bad ticket) is closed by the server at once.
    await asyncio.sleep(0.5)
    closed = [ws for ws in sockets if ws.close_code is not None]
    for ws in closed:
        sockets.remove(ws)
    return {
        "opened": len(cmd["paths"]) - failed - len(closed),
        "failed": failed + len(closed),
        "seconds": round(time.perf_counter() - started, 2),
    }


async def close_all(sockets: list[Any]) -> dict[str, Any]:
    started = time.perf_counter()
    count = len(sockets)
    limit = asyncio.Semaphore(200)

    async def one(ws: Any) -> None:
        async with limit:
            await ws.close()

    await asyncio.gather(*(one(ws) for ws in sockets))
    sockets.clear()
    return {"closed": count, "seconds": round(time.perf_counter() - started, 2)}


async def main() -> None:
    sockets: list[Any] = []
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        cmd = json.loads(line)
        if cmd["cmd"] == "open":
            answer = await open_all(cmd, sockets)
        elif cmd["cmd"] == "close":
            answer = await close_all(sockets)
        else:
            await close_all(sockets)
            print(json.dumps({"bye": True}), flush=True)
            break
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
