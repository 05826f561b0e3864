"""Chat sends go out strictly in the order typed, and a lost connection is visible.

The rate limit is made deterministic with Playwright's WebSocket routing: the first attempt of
one message is answered with the server's own ``rate_limited`` error frame instead of being
forwarded; everything else passes through to the real server.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, ui_login

pytestmark = pytest.mark.e2e


def _history(servers: Servers, token: str, room: str) -> list[str]:
    with servers.api(token) as client:
        res = client.get(f"/api/chats/rooms/{room}/messages/", params={"page_size": 50})
        assert res.status_code == 200, res.text
        messages = sorted(res.json()["results"], key=lambda m: m["seq"])
    return [m["text"] for m in messages]


def _room(servers: Servers, alice: Any, bob: Any) -> str:
    with servers.api(alice.access) as client:
        res = client.post("/api/chats/rooms/", json={"members": [bob.handle]})
        assert res.status_code in (200, 201), res.text
        return str(res.json()["uuid"])


def test_held_message_holds_the_ones_typed_after_it(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    alice = make_account("ord_a")
    bob = make_account("ord_b")
    room = _room(servers, alice, bob)
    page = new_page()
    held_once: list[str] = []
    sent: list[str] = []

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            if frame.get("type") == "message.send":
                sent.append(frame["text"])
                if frame["text"] == "둘" and not held_once:
                    held_once.append(frame["client_id"])
                    ws.send(
                        json.dumps(
                            {
                                "type": "error",
                                "code": "rate_limited",
                                "detail": "Too many messages; slow down.",
                                "client_id": frame["client_id"],
                            }
                        )
                    )
                    return
            server.send(message)

        ws.on_message(from_page)

    page.route_web_socket(re.compile(r"/ws/chat/"), route)
    ui_login(page, alice)
    page.goto(f"/chat/{room}")
    box = page.get_by_test_id("chat-input")
    expect(box).to_be_visible()
    for text in ["하나", "둘", "셋", "넷"]:
        box.fill(text)
        box.press("Enter")
    expect(page.get_by_test_id("chat-message")).to_have_count(4, timeout=20_000)
    expect(page.get_by_test_id("pending-message")).to_have_count(0)
    # Stored in the order typed: "셋" and "넷" waited for the held "둘".
    assert _history(servers, alice.access, room) == ["하나", "둘", "셋", "넷"]
    seqs_texts = page.get_by_test_id("chat-message").evaluate_all(
        "els => els.map(e => e.querySelector('p').textContent)"
    )
    assert seqs_texts == ["하나", "둘", "셋", "넷"]
    # "둘" was held, then sent again; nothing was sent after it before that.
    assert sent.index("셋") > len(sent) - 1 - sent[::-1].index("둘")
    # Being held is not an error for the user.
    expect(page.get_by_test_id("chat-error")).to_have_count(0)


def test_connection_lost_is_visible_and_queued_messages_follow_in_order(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    alice = make_account("lost_a")
    bob = make_account("lost_b")
    room = _room(servers, alice, bob)
    page = new_page()
    ui_login(page, alice)
    page.goto(f"/chat/{room}")
    box = page.get_by_test_id("chat-input")
    box.fill("연결 전")
    box.press("Enter")
    expect(page.get_by_test_id("chat-message")).to_have_count(1)

    page.context.set_offline(True)
    expect(page.get_by_test_id("chat-connection-lost")).to_be_visible()
    for text in ["끊긴 동안 1", "끊긴 동안 2"]:
        box.fill(text)
        box.press("Enter")
    expect(page.get_by_test_id("pending-message")).to_have_count(2)

    page.context.set_offline(False)
    expect(page.get_by_test_id("chat-message")).to_have_count(3, timeout=40_000)
    expect(page.get_by_test_id("chat-connection-lost")).to_have_count(0)
    assert _history(servers, alice.access, room) == ["연결 전", "끊긴 동안 1", "끊긴 동안 2"]
