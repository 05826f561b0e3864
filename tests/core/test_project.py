"""Project-level promises: error format, API docs, deploy checks, admin, superuser creation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from tangerine.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]


def test_unknown_api_url_is_a_json_404(anon: APIClient) -> None:
    response = Client().get("/api/no/such/thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unexpected_error_is_a_json_500_without_a_trace(
    anon: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tangerine.accounts import views

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.services, "user_login", explode)
    anon.raise_request_exception = False
    response = anon.post("/api/accounts/login/", {"email": "a@example.com", "password": "x"})
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "Something went wrong on our side.",
    }
    assert b"secret internals" not in response.content


def test_wrong_method_is_a_json_405(anon: APIClient) -> None:
    response = anon.put("/api/accounts/login/", {})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/accounts/login/", "/api/accounts/users/{handle}/", "/api/posts/p/"):
        assert path in text


@pytest.mark.django_db
def test_api_docs_pages_are_served(anon: APIClient) -> None:
    assert anon.get("/api/schema/").status_code == 200
    assert Client().get("/api/schema/swagger-ui/").status_code == 200
    assert Client().get("/api/schema/redoc/").status_code == 200


@pytest.mark.django_db
def test_createsuperuser_works_non_interactively(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_HANDLE", "rootadmin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-very-long-admin-password")
    call_command("createsuperuser", "--noinput", verbosity=0)
    user = User.objects.get(handle="rootadmin")
    assert user.is_staff and user.is_superuser
    assert user.email == "root@example.com"
    assert user.check_password("a-very-long-admin-password")


@pytest.mark.django_db
@pytest.mark.urls("tests.core.admin_urls")  # mounted only where ADMIN_URL is set
def test_staff_can_open_the_admin(mod: User) -> None:
    mod.is_superuser = True
    mod.save()
    client = Client()
    client.force_login(mod)
    assert client.get("/admin/accounts/user/").status_code == 200


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-0123456789",
        JWT_SIGNING_KEY="y" * 50,
        ALLOWED_HOSTS="tangerine.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_fails_loudly_naming_it() -> None:
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_setting_names_the_variable() -> None:
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_page_links_name_the_web_apps_origin_behind_the_proxy(settings: Any) -> None:
    from tangerine.posts.models import Post

    author = User.objects.create_user(email="w@example.com", handle="writer", password=None)
    for i in range(3):
        Post.objects.create(author=author, text=f"post {i}")
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    response = Client().get(
        "/api/posts/latest/?page_size=1",
        HTTP_HOST="127.0.0.1:8000",
        HTTP_X_FORWARDED_HOST="127.0.0.1:3000",
    )
    assert response.json()["next"].startswith("http://127.0.0.1:3000/api/posts/latest/?cursor=")
