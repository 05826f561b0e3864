from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.follows.services import follow_create
from tangerine.posts.models import Post
from tests.factories import make_post


@pytest.fixture
def alice_post(alice: User) -> Post:
    return make_post(alice, title="첫 글", text="Hello 감귤", tags=["#Daily", "귤"])


@pytest.fixture
def bob_follows_alice(alice: User, bob: User) -> None:
    follow_create(follower=bob, followee=alice)


@pytest.fixture
def client_of(as_user: Callable[[User], APIClient]) -> Callable[[User], APIClient]:
    return as_user
