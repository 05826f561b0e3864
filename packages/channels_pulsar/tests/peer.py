"""Child process for the two-process tests: an echo peer with its own layer instance.

Usage: ``python peer.py '{"kind": ..., "pulsar_url": ..., "prefix": ..., "group": ...}'``.
Prints ``READY <channel>`` once its channel exists and has joined ``group``; then answers every
``{"type": "echo", "reply_to": ch, "n": n}`` (direct or via the group) with
``{"type": "echoed", "n": n, "by": <channel>}`` and exits on ``{"type": "stop"}``. It gives up
after 30 s so a broken test can never leave it running.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _layers import build_layer, close_layer


async def main(spec: dict[str, str]) -> None:
    layer = build_layer(spec["kind"], spec["pulsar_url"], spec["prefix"], {})
    channel = await layer.new_channel()
    await layer.group_add(spec["group"], channel)
    print("READY", channel, flush=True)
    try:
        while True:
            message = await layer.receive(channel)
            if message["type"] == "stop":
                break
            reply = {"type": "echoed", "n": message["n"], "by": channel}
            await layer.send(message["reply_to"], reply)
    finally:
        await close_layer(layer)


if __name__ == "__main__":
    with contextlib.suppress(TimeoutError):
        asyncio.run(asyncio.wait_for(main(json.loads(sys.argv[1])), 30))
