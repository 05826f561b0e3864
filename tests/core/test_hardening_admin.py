"""The admin door: not mounted unless ADMIN_URL asks for it, and its login is rate-limited."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tangerine.accounts.models import User
from tests.factories import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _admin_url(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ADMIN_URL", "SECRET_KEY", "JWT_SIGNING_KEY"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(repr(settings.ADMIN_URL))",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "tangerine.config.settings", **env},
        cwd=ROOT / "src",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "s" * 60,
    "JWT_SIGNING_KEY": "j" * 40,
}


def test_production_mounts_no_admin_unless_asked() -> None:
    result = _admin_url(**PRODUCTION)
    assert result.stdout.strip() == "''", result.stderr
    result = _admin_url(**PRODUCTION, ADMIN_URL="/staff-7f3a/")
    assert result.stdout.strip() == "'staff-7f3a'", result.stderr
    result = _admin_url(**PRODUCTION, ADMIN_URL="api/admin/")
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr


@pytest.mark.django_db
@pytest.mark.urls("tests.core.no_admin_urls")
def test_without_admin_url_there_is_no_admin_login() -> None:
    response = Client().get("/admin/login/")
    assert response.status_code == 404
    assert Client().post("/admin/login/", {"username": "x", "password": "y"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.urls("tests.core.admin_urls")
def test_admin_login_is_rate_limited_per_address(mod: User, settings: object) -> None:
    client = Client()
    assert client.get("/admin/login/").status_code == 200
    for attempt in range(10):
        response = client.post(
            "/admin/login/", {"username": mod.email, "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 200, attempt  # the form again, with an error
    refused = client.post("/admin/login/", {"username": mod.email, "password": "wrong-again"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    # Once locked, even the right password waits: guessing cannot go on.
    right = client.post("/admin/login/", {"username": mod.email, "password": DEFAULT_PASSWORD})
    assert right.status_code == 429


@pytest.mark.django_db
@pytest.mark.urls("tests.core.admin_urls")
def test_admin_login_still_works_under_the_limit(mod: User) -> None:
    mod.is_superuser = True
    mod.save()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": mod.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
