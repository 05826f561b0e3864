"""GET /api/accounts/search/?q=: people for pickers (chat invites, mentions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create

pytestmark = pytest.mark.django_db

URL = "/api/accounts/search/"
AsUser = Callable[[User], APIClient]


def handles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [u["handle"] for u in response.json()]


def test_search_matches_handle_and_display_name_any_case_best_first(
    alice: User, bob: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    make_user(handle="minji_kim", display_name="김민지")
    make_user(handle="xminji", display_name="X")
    make_user(handle="jeju_farm", display_name="Minji 농장")
    make_user(handle="minji", display_name="민지")
    assert handles(as_user(alice).get(URL, {"q": "MINJI"})) == [
        "minji",  # exact handle
        "minji_kim",  # handle prefix
        "jeju_farm",  # display name prefix
        "xminji",  # contains
    ]


def test_search_finds_korean_display_names(
    alice: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    make_user(handle="tangerine_mom", display_name="감귤 엄마")
    make_user(handle="other", display_name="사과")
    assert handles(as_user(alice).get(URL, {"q": "감귤"})) == ["tangerine_mom"]


def test_search_leaves_out_blocks_both_ways_and_suspended_or_inactive_users(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    blocked_by_alice = make_user(handle="tang_a", display_name="t")
    blocker_of_alice = make_user(handle="tang_b", display_name="t")
    make_user(handle="tang_c", display_name="t", suspended_at=timezone.now())
    make_user(handle="tang_d", display_name="t", is_active=False)
    make_user(handle="tang_e", display_name="t")
    block_create(blocker=alice, blocked=blocked_by_alice)
    block_create(blocker=blocker_of_alice, blocked=alice)
    assert handles(as_user(alice).get(URL, {"q": "tang"})) == ["tang_e"]
    # Others still find them (a block is between two people).
    assert handles(as_user(carol).get(URL, {"q": "tang"})) == ["tang_a", "tang_b", "tang_e"]


@pytest.mark.parametrize("q", ["", "   ", "x" * 51])
def test_a_missing_blank_or_long_q_is_400_on_q(alice: User, as_user: AsUser, q: str) -> None:
    response = as_user(alice).get(URL, {"q": q})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_no_q_at_all_is_400_and_anonymous_is_401(alice: User, as_user: AsUser) -> None:
    assert as_user(alice).get(URL).status_code == 400
    assert APIClient().get(URL, {"q": "ali"}).status_code == 401


def test_like_wildcards_are_plain_characters(
    alice: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    make_user(handle="under_score", display_name="u")
    make_user(handle="underscore", display_name="100% 귤")
    assert handles(as_user(alice).get(URL, {"q": "r_s"})) == ["under_score"]
    assert handles(as_user(alice).get(URL, {"q": "100%"})) == ["underscore"]


def test_search_answers_at_most_twenty_in_one_query(
    alice: User,
    make_user: Callable[..., User],
    as_user: AsUser,
    django_assert_num_queries: Any,
) -> None:
    client = as_user(alice)
    for n in range(5):
        make_user(handle=f"gyul_{n}")
    # the token's user + the users (flags and blocks as EXISTS, profile image joined)
    with django_assert_num_queries(2):
        assert len(handles(client.get(URL, {"q": "gyul"}))) == 5
    for n in range(5, 30):
        make_user(handle=f"gyul_{n}")
    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "gyul"})
    assert len(handles(response)) == 20
    assert response.json()[0]["is_following"] is False
