"""Login limits count failures per account-and-address and per address, so a stranger
hammering an account cannot lock its owner out."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/api/accounts/login/"
OWNER = "198.51.100.10"
ATTACKER = "203.0.113.66"


def _login(password: str, address: str, email: str = "alice@example.com") -> int:
    response = APIClient().post(
        LOGIN, {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )
    return int(response.status_code)


@pytest.fixture(autouse=True)
def _tight_limit(settings: Any) -> None:
    settings.NUM_PROXIES = 0
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "5/300"}


def test_the_owner_logs_in_while_another_address_hammers_the_account(alice: User) -> None:
    statuses = [_login("wrong-guess", ATTACKER) for _ in range(20)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}  # the attacker is stopped...
    assert _login(PASSWORD, OWNER) == 200  # ...and the owner is not
    assert _login(PASSWORD, ATTACKER) == 429  # even the right password, from that address


def test_one_address_is_limited_across_accounts(alice: User, bob: User) -> None:
    for i in range(5):
        assert _login("wrong-guess", ATTACKER, email=f"nobody{i}@example.com") == 401
    assert _login(PASSWORD, ATTACKER, email="bob@example.com") == 429
    assert _login(PASSWORD, OWNER, email="bob@example.com") == 200


def test_successful_logins_do_not_use_up_the_limit(alice: User) -> None:
    # a shared address (an office behind one NAT) where people log in all day
    for _ in range(12):
        assert _login(PASSWORD, OWNER) == 200
    for _ in range(4):
        assert _login("typo", OWNER) == 401
    assert _login(PASSWORD, OWNER) == 200


# Parallel requests need a database that serves threads at once (not in-memory SQLite).
@pytest.mark.postgres
def test_a_parallel_burst_of_guesses_cannot_pass_the_limit(alice: User) -> None:
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(15)

    def guess() -> None:
        start.wait()
        try:
            status = _login("wrong-guess", ATTACKER)
        finally:
            connection.close()  # this thread's own connection
        with lock:
            results.append(status)

    threads = [threading.Thread(target=guess) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(401) == 5
    assert results.count(429) == 10
