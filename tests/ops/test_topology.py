"""The multi-process start refuses embedded defaults that processes cannot share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tangerine.config.topology import topology_problems

ROOT = Path(__file__).resolve().parents[2]

SHARED_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tangerine",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "CHANNEL_LAYER_URL": "redis://127.0.0.1:6379/1",
    "MILVUS_URI": "http://127.0.0.1:19530",
    "TASKS_BACKEND": "database",
}


def _fake(**overrides: Any) -> SimpleNamespace:
    """Settings every process can share, with ``overrides`` (the check reads settings only)."""
    values: dict[str, Any] = {
        "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql"}},
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}},
        "CHANNEL_LAYERS": {
            "default": {"BACKEND": "tangerine.config.redis_layer.RedisChannelLayer"}
        },
        "MILVUS_URI": SHARED_ENV["MILVUS_URI"],
        "TASKS_BACKEND": "database",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
REFUSALS = [
    ("DATABASE_URL", {"DATABASES": SQLITE}),
    (
        "CHANNEL_LAYER_URL",
        {"CHANNEL_LAYERS": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}},
    ),
    (
        "CACHE_URL",
        {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}},
    ),
    ("MILVUS_URI", {"MILVUS_URI": "/srv/var/milvus.db"}),
    ("TASKS_BACKEND", {"TASKS_BACKEND": "thread"}),
]


def test_shared_services_pass() -> None:
    assert topology_problems(settings=_fake(), processes=4) == []


@pytest.mark.parametrize(("variable", "overrides"), REFUSALS)
def test_each_unshareable_default_is_refused_naming_its_variable(
    variable: str, overrides: dict[str, Any]
) -> None:
    problems = topology_problems(settings=_fake(**overrides), processes=2)
    assert [p.variable for p in problems] == [variable]
    assert str(problems[0]).startswith(f"{variable}: ")


def test_sqlite_is_allowed_with_one_api_process_only() -> None:
    assert topology_problems(settings=_fake(DATABASES=SQLITE), processes=1) == []
    (problem,) = topology_problems(settings=_fake(DATABASES=SQLITE), processes=3)
    assert "SQLite cannot serve 3 API processes" in problem.message


@pytest.mark.parametrize(("variable", "overrides"), REFUSALS[1:])
def test_the_command_fails_naming_the_variable(
    settings: Any, variable: str, overrides: dict[str, Any]
) -> None:
    # The test database is already shared (PostgreSQL); DATABASES is not overridden in tests.
    for name, value in _fake(**overrides).__dict__.items():
        if name != "DATABASES":
            setattr(settings, name, value)
    with pytest.raises(CommandError, match=f"{variable}: "):
        call_command("check_prod_topology")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test environment less every service variable: the embedded defaults."""
    env = {k: v for k, v in os.environ.items() if k not in SHARED_ENV}
    env.update(TANGERINE_VAR_DIR=str(tmp_path / "var"), **extra)
    return env


def test_run_prod_refuses_the_embedded_defaults_before_starting_anything(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed command line of ours
        ["/bin/bash", str(ROOT / "scripts" / "run-prod.sh")],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    for variable in SHARED_ENV:
        assert f"{variable}:" in result.stderr, result.stderr
    assert "starting" not in result.stdout  # no process was started, nothing migrated
    assert not (tmp_path / "var" / "db.sqlite3").exists()


def test_check_passes_with_every_service_named_by_the_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check_prod_topology"],
        cwd=ROOT,
        env=_env(tmp_path, API_PROCESSES="4", **SHARED_ENV),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "4 API process(es)" in result.stdout


def test_a_bad_process_count_is_refused_with_its_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check_prod_topology"],
        cwd=ROOT,
        env=_env(tmp_path, API_PROCESSES="two", **SHARED_ENV),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "API_PROCESSES must be an integer" in result.stderr
