"""Notification fixtures: real posts, comments and replies, and a channel-layer listener."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

from tangerine.accounts.models import User
from tangerine.core.realtime import user_group
from tangerine.posts.models import Comment, Post, Reply


@pytest.fixture
def make_post(db: None) -> Callable[..., Post]:
    def make(author: User, title: str = "제주 감귤", text: str = "새콤달콤") -> Post:
        return Post.objects.create(author=author, title=title, text=text)

    return make


@pytest.fixture
def make_comment(db: None) -> Callable[..., Comment]:
    def make(post: Post, author: User, text: str = "맛있겠다 looks great") -> Comment:
        return Comment.objects.create(post=post, author=author, text=text)

    return make


@pytest.fixture
def make_reply(db: None) -> Callable[..., Reply]:
    def make(comment: Comment, author: User, text: str = "thanks 고마워요") -> Reply:
        return Reply.objects.create(comment=comment, author=author, text=text)

    return make


class Inbox:
    """The events a user's group received on the in-memory channel layer."""

    def __init__(self, layer: Any, channel: str) -> None:
        self.layer = layer
        self.channel = channel

    def events(self) -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        while True:
            queue = self.layer.channels.get(self.channel)
            if not queue or queue.empty():
                return received
            received.append(async_to_sync(self.layer.receive)(self.channel))


@pytest.fixture
def inbox(settings: Any) -> Iterator[Callable[[User], Inbox]]:
    """``inbox(alice).events()``: what was published to alice's user group."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()

    def listen(user: User) -> Inbox:
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(user_group(user.uuid), channel)
        return Inbox(layer, channel)

    yield listen
    channel_layers.backends.clear()
