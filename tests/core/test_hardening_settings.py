"""Settings fail loudly at start: floats, rates, key lengths; development keys are per var/."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tangerine.config.env import (
    ConfigurationError,
    env_drf_rate,
    env_float,
    env_rate,
    parse_rate,
    secret_in_file,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "s" * 60, "JWT_SIGNING_KEY": "j" * 40}
OLD_PUBLIC_LITERAL = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RATE_LIMIT_", "THROTTLE_", "PREVIEW_"))
        and k not in {"DEBUG", "SECRET_KEY", "JWT_SIGNING_KEY", "TANGERINE_VAR_DIR"}
    }
    return subprocess.run(  # noqa: S603 (our own settings, fixed code)
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "tangerine.config.settings", **env},
        cwd=ROOT / "src",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- readers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/300", (10, 300)),
        ("10/min", (10, 60)),
        ("10/5min", (10, 300)),
        (" 1200 / hour ", (1200, 3600)),
        ("5/day", (5, 86400)),
        ("0/s", (0, 1)),
    ],
)
def test_rates_read_counts_per_window(text: str, expected: tuple[int, int]) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["ten/min", "10", "10/", "10/fortnight", "10/0", "-1/min", ""])
def test_malformed_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"rate|unit|window"):
        parse_rate(text)


def test_rate_readers_normalise_and_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_X", "10/min")
    assert env_rate("RATE_X", "1/1") == "10/60"
    assert env_drf_rate("RATE_X", "1/s") == "10/m"
    monkeypatch.setenv("RATE_X", "10/5min")
    with pytest.raises(ConfigurationError, match="RATE_X"):
        env_drf_rate("RATE_X", "1/s")  # DRF counts per one second, minute, hour or day only
    monkeypatch.setenv("RATE_X", "lots")
    with pytest.raises(ConfigurationError, match="RATE_X"):
        env_rate("RATE_X", "1/1")


def test_env_float_is_typed_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_float("FLOAT_X", 2.5) == 2.5
    monkeypatch.setenv("FLOAT_X", "0.25")
    assert env_float("FLOAT_X", 2.5, minimum=0.1) == 0.25
    for bad in ("fast", "nan", "inf", "-1"):
        monkeypatch.setenv("FLOAT_X", bad)
        with pytest.raises(ConfigurationError, match="FLOAT_X"):
            env_float("FLOAT_X", 2.5, minimum=0.0)
    monkeypatch.setenv("FLOAT_X", "99")
    with pytest.raises(ConfigurationError, match="at most"):
        env_float("FLOAT_X", 2.5, maximum=60)


def test_a_secret_file_is_made_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "dev-key"
    first = secret_in_file(path)
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_in_file(path) == first
    assert secret_in_file(tmp_path / "other" / "dev-key") != first


# --- the settings module, started for real ------------------------------------------------------


def test_a_malformed_rate_or_float_stops_the_start_naming_it() -> None:
    setup = "import django; django.setup()"
    result = _python(setup, **PRODUCTION, RATE_LIMIT_LOGIN="lots")
    assert result.returncode != 0
    assert "RATE_LIMIT_LOGIN" in result.stderr
    result = _python(setup, **PRODUCTION, PREVIEW_TOTAL_TIMEOUT="soon")
    assert result.returncode != 0
    assert "PREVIEW_TOTAL_TIMEOUT must be a number" in result.stderr
    result = _python(setup, **PRODUCTION, THROTTLE_ANON="300/5min")
    assert result.returncode != 0
    assert "THROTTLE_ANON" in result.stderr


def test_production_needs_a_jwt_key_of_32_characters() -> None:
    result = _python("import django; django.setup()", **{**PRODUCTION, "JWT_SIGNING_KEY": "short"})
    assert result.returncode != 0
    assert "JWT_SIGNING_KEY must be at least 32 characters" in result.stderr
    missing = {k: v for k, v in PRODUCTION.items() if k != "JWT_SIGNING_KEY"}
    result = _python("import django; django.setup()", **missing)
    assert result.returncode != 0
    assert "JWT_SIGNING_KEY" in result.stderr


def test_development_keys_are_random_per_var_folder(tmp_path: Path) -> None:
    show = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SECRET_KEY, settings.SIMPLE_JWT['SIGNING_KEY']]))"
    )
    runs = [
        _python(show, DEBUG="true", TANGERINE_VAR_DIR=str(tmp_path / folder))
        for folder in ("a", "a", "b")
    ]
    keys = [json.loads(run.stdout) for run in runs]
    assert keys[0] == keys[1]  # written once, read back on the next start
    assert keys[0][0] != keys[2][0] and keys[0][1] != keys[2][1]
    secret, jwt_key = keys[0]
    assert secret != jwt_key
    assert OLD_PUBLIC_LITERAL not in {secret, jwt_key}
    assert len(jwt_key) >= 32
    assert (tmp_path / "a" / "dev-jwt-signing-key").read_text().strip() == jwt_key


def test_importing_the_settings_creates_no_folder_the_start_hook_does(tmp_path: Path) -> None:
    var = tmp_path / "var"
    result = _python("import tangerine.config.settings", **PRODUCTION, TANGERINE_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert not var.exists()
    result = _python("import django; django.setup()", **PRODUCTION, TANGERINE_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert (var / "static").is_dir()
