"""Fixtures for the reports tests: content owned by ``alice`` and helpers to file reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import Post
from tests.factories import make_post
from tests.support.api import REPORTS


@pytest.fixture
def alice_post(alice: User) -> Post:
    return make_post(author=alice)


@pytest.fixture
def file_report(as_user: Callable[[User], APIClient]) -> Callable[..., Any]:
    """``file_report(bob, "post", uuid)``: POST a report as ``user``, return the response."""

    def file(user: User, target_type: str, target: Any, reason: str = "spam", **extra: Any) -> Any:
        body = {"target_type": target_type, "target": str(target), "reason": reason, **extra}
        return as_user(user).post(REPORTS, body, format="json")

    return file


@pytest.fixture
def staff_patch(as_user: Callable[[User], APIClient], mod: User) -> Callable[..., Any]:
    """``staff_patch(uuid, status=..., actions=[...])`` as ``mod``; returns the response."""

    def patch(report_uuid: Any, **body: Any) -> Any:
        return as_user(mod).patch(f"{REPORTS}{report_uuid}/", body, format="json")

    return patch
