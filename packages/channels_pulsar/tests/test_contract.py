"""One contract, four layers: in-memory and channels_redis define "correct", the Pulsar layer
must match. Where a reference layer legitimately lacks a feature, the test skips for that layer
with the reason recorded in ``conftest.LAYER_KINDS``."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

from conftest import LayerFactory, LayerKind

pytestmark = pytest.mark.asyncio

PEER = Path(__file__).resolve().parent / "peer.py"


async def receive_within(layer: BaseChannelLayer, channel: str, within: float = 3.0) -> Any:
    return await asyncio.wait_for(layer.receive(channel), within)


async def assert_nothing_arrives(layer: BaseChannelLayer, channel: str, wait: float = 0.4) -> None:
    try:
        message = await asyncio.wait_for(layer.receive(channel), wait)
    except TimeoutError:
        return
    pytest.fail(f"unexpected message {message!r}")


async def test_a_sent_message_is_received_intact(make_layer: LayerFactory) -> None:
    layer = make_layer()
    channel = await layer.new_channel()
    message = {"type": "chat.message", "text": "안녕", "n": 1, "raw": b"\x00\xff", "ok": True}
    await layer.send(channel, message)
    assert await receive_within(layer, channel) == message


async def test_messages_on_one_channel_arrive_in_send_order(make_layer: LayerFactory) -> None:
    layer = make_layer(capacity=100)
    channel = await layer.new_channel()
    for n in range(50):
        await layer.send(channel, {"type": "seq", "n": n})
    received = [(await receive_within(layer, channel))["n"] for _ in range(50)]
    assert received == list(range(50))


async def test_a_normal_channel_buffers_until_someone_receives(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("buffer_before_receive")
    layer = make_layer()
    for n in range(3):
        await layer.send("thumbnails.jobs", {"type": "job", "n": n})
    received = [(await receive_within(layer, "thumbnails.jobs"))["n"] for _ in range(3)]
    assert received == [0, 1, 2]


async def test_a_normal_channel_delivers_while_a_receiver_waits(make_layer: LayerFactory) -> None:
    layer = make_layer()
    waiting = asyncio.ensure_future(receive_within(layer, "worker.queue"))
    await asyncio.sleep(0.2)  # the receiver is subscribed and waiting before the send
    await layer.send("worker.queue", {"type": "job", "n": 7})
    assert (await waiting)["n"] == 7


async def test_group_send_reaches_every_member_and_only_members(make_layer: LayerFactory) -> None:
    layer = make_layer()
    members = [await layer.new_channel() for _ in range(3)]
    outsider = await layer.new_channel()
    for channel in members:
        await layer.group_add("room-1", channel)
    await layer.group_send("room-1", {"type": "room.event", "text": "hi"})
    for channel in members:
        assert await receive_within(layer, channel) == {"type": "room.event", "text": "hi"}
    await assert_nothing_arrives(layer, outsider)


async def test_group_discard_stops_delivery_to_that_channel_only(make_layer: LayerFactory) -> None:
    layer = make_layer()
    stays, leaves = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room-2", stays)
    await layer.group_add("room-2", leaves)
    await layer.group_discard("room-2", leaves)
    await layer.group_discard("room-2", "never.added")  # discarding a stranger is a no-op
    await layer.group_send("room-2", {"type": "room.event", "n": 1})
    assert (await receive_within(layer, stays))["n"] == 1
    await assert_nothing_arrives(layer, leaves)


async def test_group_send_fans_out_to_many_members_once_each(make_layer: LayerFactory) -> None:
    layer = make_layer()
    channels = [await layer.new_channel() for _ in range(200)]
    for channel in channels:
        await layer.group_add("big-room", channel)
    await layer.group_add("big-room", channels[0])  # adding twice keeps one membership
    await layer.group_send("big-room", {"type": "room.event", "n": 1})
    await layer.group_send("big-room", {"type": "room.event", "n": 2})
    for channel in channels:
        assert (await receive_within(layer, channel))["n"] == 1
        assert (await receive_within(layer, channel))["n"] == 2
    await assert_nothing_arrives(layer, channels[0], wait=0.2)


async def test_send_beyond_capacity_raises_channel_full(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("capacity")
    layer = make_layer(capacity=3)
    channel = await layer.new_channel()
    for n in range(3):
        await layer.send(channel, {"type": "m", "n": n})
    with pytest.raises(ChannelFull):
        await layer.send(channel, {"type": "m", "n": 3})
    assert [(await receive_within(layer, channel))["n"] for _ in range(3)] == [0, 1, 2]
    await layer.send(channel, {"type": "m", "n": 4})  # room again after receiving
    assert (await receive_within(layer, channel))["n"] == 4


async def test_per_channel_capacity_patterns_apply(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("capacity")
    layer_kind.require("channel_capacity_patterns")
    layer = make_layer(capacity=100, channel_capacity={"tiny.*": 1})
    tiny = await layer.new_channel("tiny")
    roomy = await layer.new_channel()
    await layer.send(tiny, {"type": "m"})
    with pytest.raises(ChannelFull):
        await layer.send(tiny, {"type": "m"})
    for _ in range(5):
        await layer.send(roomy, {"type": "m"})


async def test_send_to_a_full_normal_channel_raises_channel_full(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("capacity")
    layer_kind.require("sender_capacity_normal")
    layer = make_layer(capacity=2)
    await layer.send("jobs.full", {"type": "m"})
    await layer.send("jobs.full", {"type": "m"})
    with pytest.raises(ChannelFull):
        await layer.send("jobs.full", {"type": "m"})


async def test_group_send_skips_a_full_member_and_serves_the_others(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("capacity")
    layer_kind.require("capacity_per_specific_channel")
    layer = make_layer(capacity=1)
    full, free = await layer.new_channel(), await layer.new_channel()
    await layer.send(full, {"type": "m", "n": 0})
    await layer.group_add("g-full", full)
    await layer.group_add("g-full", free)
    await layer.group_send("g-full", {"type": "m", "n": 1})  # must not raise
    assert (await receive_within(layer, free))["n"] == 1
    assert (await receive_within(layer, full))["n"] == 0
    await assert_nothing_arrives(layer, full)


async def test_an_expired_message_is_never_received(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("expiry")
    layer = make_layer(expiry=1)
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "old"})
    await asyncio.sleep(1.3)
    await layer.send(channel, {"type": "fresh"})
    assert (await receive_within(layer, channel))["type"] == "fresh"


async def test_group_membership_expires(make_layer: LayerFactory, layer_kind: LayerKind) -> None:
    layer_kind.require("group_expiry")
    # Redis and in-memory compare whole seconds, hence 2 s and these margins.
    layer = make_layer(group_expiry=2)
    old, renewed = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g-exp", old)
    await layer.group_add("g-exp", renewed)
    await asyncio.sleep(1.5)
    await layer.group_add("g-exp", renewed)  # re-adding renews the membership
    await asyncio.sleep(1.7)
    await layer.group_send("g-exp", {"type": "m"})
    assert (await receive_within(layer, renewed))["type"] == "m"
    await assert_nothing_arrives(layer, old)


async def test_flush_drops_buffered_messages_and_groups(make_layer: LayerFactory) -> None:
    layer = make_layer()
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "before"})
    await layer.group_add("g-flush", channel)
    await layer.flush()
    await layer.group_send("g-flush", {"type": "to.group"})
    # Receive first: the pub/sub layer's flush also unsubscribes the channel.
    waiting = asyncio.ensure_future(receive_within(layer, channel))
    await asyncio.sleep(0.2)
    await layer.send(channel, {"type": "after"})
    assert (await waiting)["type"] == "after"


async def test_many_channels_each_get_their_own_message(make_layer: LayerFactory) -> None:
    layer = make_layer(capacity=1000)  # channels_redis counts capacity per process
    channels = [await layer.new_channel() for _ in range(300)]
    for channel in channels:  # sequential: channels_redis' pool refuses 300 at once
        await layer.send(channel, {"type": "m", "to": channel})
    for channel in channels:
        assert (await receive_within(layer, channel))["to"] == channel


async def test_concurrent_receivers_on_different_channels(make_layer: LayerFactory) -> None:
    layer = make_layer()
    channels = [await layer.new_channel() for _ in range(20)]
    receivers = [asyncio.ensure_future(receive_within(layer, c)) for c in channels]
    await asyncio.sleep(0.1)
    for n, channel in enumerate(channels):
        await layer.send(channel, {"type": "m", "n": n})
    assert [(await r)["n"] for r in receivers] == list(range(20))


async def test_concurrent_receivers_on_one_channel_split_messages_without_loss(
    make_layer: LayerFactory,
) -> None:
    layer = make_layer()
    channel = await layer.new_channel()

    async def drain(out: list[int]) -> None:
        while True:
            out.append((await layer.receive(channel))["n"])

    results: list[list[int]] = [[], [], []]
    tasks = [asyncio.ensure_future(drain(out)) for out in results]
    await asyncio.sleep(0.1)
    for n in range(60):
        await layer.send(channel, {"type": "m", "n": n})
    for _ in range(100):
        if sum(map(len, results)) >= 60:
            break
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert sorted(n for out in results for n in out) == list(range(60))


async def test_a_cancelled_receive_loses_no_message(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("cancel_safe")
    layer = make_layer()
    channel = await layer.new_channel()
    await assert_nothing_arrives(layer, channel, wait=0.2)  # cancels a waiting receive
    await layer.send(channel, {"type": "m"})
    assert (await receive_within(layer, channel))["type"] == "m"


async def test_invalid_names_are_rejected(make_layer: LayerFactory, layer_kind: LayerKind) -> None:
    layer_kind.require("name_validation")
    layer = make_layer()
    with pytest.raises(TypeError):
        await layer.send("bad name!", {"type": "m"})
    with pytest.raises(TypeError):
        await layer.group_add("bad group!", "chan")
    with pytest.raises(TypeError):
        await layer.group_send("x" * 200, {"type": "m"})


async def test_two_instances_on_one_backend_talk(
    make_layer: LayerFactory, layer_kind: LayerKind
) -> None:
    layer_kind.require("shared_backend")
    sender, receiver = make_layer(), make_layer()
    channel = await receiver.new_channel()
    await receiver.group_add("shared-room", channel)
    for n in range(20):
        await sender.send(channel, {"type": "direct", "n": n})
    await sender.group_send("shared-room", {"type": "group", "n": 99})
    got = [(await receive_within(receiver, channel))["n"] for _ in range(21)]
    assert got == [*range(20), 99]


# Two OS processes --------------------------------------------------------------------------
@asynccontextmanager
async def peer_process(spec: dict[str, str], group: str) -> AsyncIterator[str]:
    """Start ``peer.py`` with its own layer; yields the peer's channel name."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(PEER),
        json.dumps({**spec, "group": group}),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().split()
        assert line[:1] == ["READY"], f"peer did not start: {line}"
        yield line[1]
    except BaseException:
        proc.kill()  # the test failed: do not wait for a stop that was never sent
        await proc.wait()
        raise
    else:
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            pytest.fail("peer process did not exit after stop")


async def test_two_processes_exchange_ordered_messages(
    make_layer: LayerFactory, layer_kind: LayerKind, layer_spec: dict[str, str]
) -> None:
    layer_kind.require("multi_process")
    layer = make_layer()
    mine = await layer.new_channel()
    async with peer_process(layer_spec, "peers") as theirs:
        for n in range(30):
            await layer.send(theirs, {"type": "echo", "reply_to": mine, "n": n})
        got = [(await receive_within(layer, mine, 10))["n"] for _ in range(30)]
        await layer.send(theirs, {"type": "stop"})
    assert got == list(range(30))


async def test_group_send_reaches_members_in_both_processes(
    make_layer: LayerFactory, layer_kind: LayerKind, layer_spec: dict[str, str]
) -> None:
    layer_kind.require("multi_process")
    layer = make_layer()
    mine, local_member = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("mixed-room", local_member)
    async with peer_process(layer_spec, "mixed-room") as theirs:
        await layer.group_send("mixed-room", {"type": "echo", "reply_to": mine, "n": 5})
        echoed = await receive_within(layer, mine, 10)
        local = await receive_within(layer, local_member, 10)
        await layer.send(theirs, {"type": "stop"})
    assert echoed == {"type": "echoed", "n": 5, "by": theirs}
    assert local == {"type": "echo", "reply_to": mine, "n": 5}


async def test_group_add_and_discard_of_another_process_channel(
    make_layer: LayerFactory, layer_kind: LayerKind, layer_spec: dict[str, str]
) -> None:
    layer_kind.require("multi_process")
    layer_kind.require("remote_group_add")
    layer = make_layer()
    mine = await layer.new_channel()
    async with peer_process(layer_spec, "peer-only") as theirs:
        await layer.group_add("added-from-outside", theirs)
        await layer.group_send("added-from-outside", {"type": "echo", "reply_to": mine, "n": 1})
        assert (await receive_within(layer, mine, 10))["n"] == 1
        await layer.group_discard("added-from-outside", theirs)
        await layer.group_send("added-from-outside", {"type": "echo", "reply_to": mine, "n": 2})
        await assert_nothing_arrives(layer, mine, wait=0.5)
        await layer.send(theirs, {"type": "stop"})
