"""Behaviour specific to the Pulsar layer, against a real pulsar-lite broker."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable

import pulsar
import pytest

from channels_pulsar import PulsarChannelLayer, PulsarLayerError
from channels_pulsar._envelope import Envelope, Kind, encode

Layers = Callable[..., PulsarChannelLayer]


async def receive_within(layer: PulsarChannelLayer, channel: str, within: float = 3.0) -> dict:
    return await asyncio.wait_for(layer.receive(channel), within)


async def assert_nothing_arrives(
    layer: PulsarChannelLayer, channel: str, wait: float = 0.3
) -> None:
    try:
        message = await asyncio.wait_for(layer.receive(channel), wait)
    except TimeoutError:
        return
    pytest.fail(f"unexpected message {message!r}")


def topics(layer: PulsarChannelLayer) -> set[str]:
    names = (t.rsplit("/", 1)[-1] for t in layer._transport._consumers)
    return {name.removeprefix(layer.prefix + "-") for name in names}


@pytest.mark.asyncio
async def test_a_redelivered_message_reaches_the_application_once(
    pulsar_layers: Layers, pulsar_url: str
) -> None:
    layer = pulsar_layers()
    channel = await layer.new_channel()
    now = time.time()
    envelope = Envelope(Kind.CHANNEL, "other:1", channel, now, now + 60, {"type": "m", "n": 1})
    client = pulsar.Client(pulsar_url, logger=pulsar.ConsoleLogger(pulsar.LoggerLevel.Warn))
    try:
        producer = client.create_producer(layer._inbox, batching_enabled=False)
        producer.send(encode(envelope))
        producer.send(encode(envelope))  # what a broker redelivery looks like
        producer.send(b"not an envelope")  # junk is dropped without breaking the listener
        producer.send(encode(Envelope(Kind.CHANNEL, "other:2", channel, now, now + 60, {"n": 2})))
    finally:
        client.close()
    assert (await receive_within(layer, channel))["n"] == 1
    assert (await receive_within(layer, channel))["n"] == 2
    await assert_nothing_arrives(layer, channel)


@pytest.mark.asyncio
async def test_a_pipelined_burst_between_processes_arrives_once_and_in_order(
    pulsar_layers: Layers,
) -> None:
    # Pipelined sends make pulsar-lite redeliver a share of messages (seen: 600 extra of
    # 10,000); the layer must hide that.
    sender, receiver = pulsar_layers(), pulsar_layers(capacity=5000)
    channel = await receiver.new_channel()

    async def burst(start: int) -> None:
        for n in range(start, start + 500):
            await sender.send(channel, {"type": "m", "n": n})

    # Four concurrent senders keep many messages in flight; each keeps its own order.
    await asyncio.gather(*(burst(k * 500) for k in range(4)))
    got = [(await receive_within(receiver, channel))["n"] for _ in range(2000)]
    assert sorted(got) == list(range(2000))
    for k in range(4):
        mine = [n for n in got if k * 500 <= n < (k + 1) * 500]
        assert mine == sorted(mine)
    await assert_nothing_arrives(receiver, channel)


@pytest.mark.asyncio
async def test_a_process_subscribes_once_per_group_whatever_its_member_count(
    pulsar_layers: Layers,
) -> None:
    layer = pulsar_layers()
    channels = [await layer.new_channel() for _ in range(50)]
    for channel in channels:
        await layer.group_add("room", channel)
    assert topics(layer) == {f"inbox-{layer.process_id}", "group-room"}
    for channel in channels:
        await layer.group_discard("room", channel)
    assert topics(layer) == {f"inbox-{layer.process_id}"}


@pytest.mark.asyncio
async def test_group_send_from_a_process_without_members_is_one_publish(
    pulsar_layers: Layers,
) -> None:
    sender, a, b = pulsar_layers(), pulsar_layers(), pulsar_layers()
    members = [await a.new_channel() for _ in range(3)] + [await b.new_channel() for _ in range(3)]
    for channel in members[:3]:
        await a.group_add("spread", channel)
    for channel in members[3:]:
        await b.group_add("spread", channel)
    await sender.group_send("spread", {"type": "m"})
    assert list(sender._transport._producers) == [sender._group_topic("spread")]
    for channel in members[:3]:
        assert await receive_within(a, channel) == {"type": "m"}
    for channel in members[3:]:
        assert await receive_within(b, channel) == {"type": "m"}


@pytest.mark.xfail(
    strict=True,
    raises=PulsarLayerError,
    reason="pulsar-lite 0.2 refuses a second consumer on one Shared subscription (subscribe "
    "times out); Apache Pulsar splits the messages between workers",
)
@pytest.mark.asyncio
async def test_a_worker_channel_gives_each_message_to_exactly_one_worker(
    pulsar_layers: Layers,
) -> None:
    fast = {"client_options": {"operation_timeout_seconds": 2}}
    web, worker1, worker2 = pulsar_layers(), pulsar_layers(**fast), pulsar_layers(**fast)
    # Subscribing both workers up front surfaces a refused subscription as the test's error.
    await worker1._ensure_started()
    await worker2._ensure_started()
    await worker1._ensure_worker_consumer("image.jobs")
    await worker2._ensure_worker_consumer("image.jobs")
    got: list[int] = []

    async def work(worker: PulsarChannelLayer) -> None:
        while True:
            got.append((await worker.receive("image.jobs"))["n"])

    tasks = [asyncio.ensure_future(work(w)) for w in (worker1, worker2)]
    await asyncio.sleep(0.3)
    for n in range(100):
        await web.send("image.jobs", {"type": "job", "n": n})
    for _ in range(100):
        if len(got) >= 100:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # let any duplicate show up
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert sorted(got) == list(range(100))


@pytest.mark.asyncio
async def test_a_slow_worker_pauses_instead_of_dropping(pulsar_layers: Layers) -> None:
    web, worker = pulsar_layers(), pulsar_layers(capacity=5)
    for n in range(30):
        await web.send("slow.jobs", {"type": "job", "n": n})
    got = [(await receive_within(worker, "slow.jobs"))["n"] for _ in range(30)]
    assert sorted(got) == list(range(30))


def test_one_layer_serves_several_event_loops(pulsar_layers: Layers) -> None:
    """async_to_sync runs each call in a fresh loop; the layer must not be bound to one."""
    layer = pulsar_layers()
    channel = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add("loops", channel))
    asyncio.run(layer.group_send("loops", {"type": "m", "n": 1}))
    result: list[dict] = []
    thread = threading.Thread(
        target=lambda: result.append(asyncio.run(receive_within(layer, channel)))
    )
    thread.start()
    thread.join(5)
    assert result == [{"type": "m", "n": 1}]
    asyncio.run(layer.close())


@pytest.mark.asyncio
async def test_close_then_reuse_reconnects_and_keeps_groups(pulsar_layers: Layers) -> None:
    layer, sender = pulsar_layers(), pulsar_layers()
    channel = await layer.new_channel()
    await layer.group_add("kept", channel)
    await layer.close()
    assert not layer._transport.started
    # The group subscription is durable: what is published while we are away waits for us.
    await sender.group_send("kept", {"type": "while closed"})
    assert (await receive_within(layer, channel))["type"] == "while closed"  # reconnects
    await sender.group_send("kept", {"type": "after"})
    assert (await receive_within(layer, channel))["type"] == "after"


@pytest.mark.asyncio
async def test_receiving_another_instance_channel_is_refused(pulsar_layers: Layers) -> None:
    mine, theirs = pulsar_layers(), pulsar_layers()
    channel = await theirs.new_channel()
    with pytest.raises(ValueError, match="another layer instance"):
        await mine.receive(channel)


def test_interpreter_exits_promptly_without_close(pulsar_url: str) -> None:
    """pulsar-client's C++ threads must not keep a process alive that forgot close()."""
    script = textwrap.dedent(
        f"""
        import asyncio
        from channels_pulsar import PulsarChannelLayer, PulsarLayerError
        layer = PulsarChannelLayer({pulsar_url!r}, prefix="exit-test")
        async def main():
            channel = await layer.new_channel()
            await layer.group_add("g", channel)
            await layer.group_send("g", {{"type": "m"}})
            print((await layer.receive(channel))["type"], flush=True)
        asyncio.run(main())
        """
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "m"
    assert time.monotonic() - started < 15
