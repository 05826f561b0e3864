from __future__ import annotations

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db
RESET = "/api/accounts/password/reset/"
CONFIRM = "/api/accounts/password/reset/confirm/"


def _uid_and_token() -> tuple[str, str]:
    body = str(mail.outbox[-1].body)
    uid = re.search(r"uid: (\S+)", body)
    token = re.search(r"token: (\S+)", body)
    assert uid and token
    return uid.group(1), token.group(1)


def test_reset_mails_a_link_and_confirm_sets_the_password(anon: APIClient, alice: User) -> None:
    response = anon.post(RESET, {"email": "ALICE@example.com"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "/reset-password?uid=" in mail.outbox[0].body
    uid, token = _uid_and_token()
    done = anon.post(
        CONFIRM,
        {
            "uid": uid,
            "token": token,
            "new_password1": "fresh-tangerine-9",
            "new_password2": "fresh-tangerine-9",
        },
    )
    assert done.status_code == 200, done.json()
    login = anon.post(
        "/api/accounts/login/", {"email": "alice@example.com", "password": "fresh-tangerine-9"}
    )
    assert login.status_code == 200
    again = anon.post(
        CONFIRM,
        {
            "uid": uid,
            "token": token,
            "new_password1": "other-tangerine-9",
            "new_password2": "other-tangerine-9",
        },
    )
    assert again.status_code == 400, "a reset token works once"


def test_unknown_email_answers_the_same_and_sends_nothing(anon: APIClient, alice: User) -> None:
    known = anon.post(RESET, {"email": "alice@example.com"})
    unknown = anon.post(RESET, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert len(mail.outbox) == 1


def test_confirm_refuses_bad_tokens_and_weak_passwords(anon: APIClient, alice: User) -> None:
    anon.post(RESET, {"email": "alice@example.com"})
    uid, token = _uid_and_token()
    bad = anon.post(
        CONFIRM,
        {
            "uid": uid,
            "token": "1-abc",
            "new_password1": "fresh-tangerine-9",
            "new_password2": "fresh-tangerine-9",
        },
    )
    assert bad.status_code == 400
    assert "token" in bad.json()["fields"]
    junk_uid = anon.post(
        CONFIRM,
        {
            "uid": "!!!",
            "token": token,
            "new_password1": "fresh-tangerine-9",
            "new_password2": "fresh-tangerine-9",
        },
    )
    assert junk_uid.status_code == 400
    weak = anon.post(
        CONFIRM, {"uid": uid, "token": token, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_reset_requests_are_limited(anon: APIClient, alice: User, settings: object) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "password_reset": "2/3600"}  # type: ignore[attr-defined]
    assert anon.post(RESET, {"email": "alice@example.com"}).status_code == 200
    assert anon.post(RESET, {"email": "alice@example.com"}).status_code == 200
    assert anon.post(RESET, {"email": "alice@example.com"}).status_code == 429
