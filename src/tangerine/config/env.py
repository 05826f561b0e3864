"""Typed, fail-loud readers for configuration from environment variables.

Every setting the project reads goes through one of these functions, so a wrong value stops the
process at start with a message naming the variable instead of misbehaving later. ``NAME_FILE``
is honoured for every variable, so secrets can come from mounted files.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A configuration variable is missing or has a value of the wrong shape."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None:
        if default is None:
            raise ConfigurationError(f"The environment variable {name} is required.")
        return default
    return value


def env_optional(name: str) -> str | None:
    value = _raw(name)
    return value or None


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false), got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {value!r}.") from exc
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a number, got {value!r}.") from exc
    if number != number or number in {float("inf"), float("-inf")}:
        raise ConfigurationError(f"{name} must be a finite number, got {value!r}.")
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}, got {number}.")
    return number


_RATE_UNITS = {
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
}  # fmt: skip
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_rate(text: str) -> tuple[int, int]:
    """``"10/300"`` (seconds), ``"10/min"``, ``"10/5min"``, ``"1200/hour"`` → (count, seconds).

    Raises ``ValueError`` with a readable message on anything else (a count of 0 is allowed: it
    closes the door; a window must be at least one second).
    """
    match = _RATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a rate like 10/min or 10/300")
    count, amount, unit = int(match.group(1)), match.group(2), match.group(3).lower()
    if unit and unit not in _RATE_UNITS:
        raise ValueError(f"{text!r} has an unknown unit {unit!r} (s, min, hour or day)")
    if not unit and not amount:
        raise ValueError(f"{text!r} has no window (10/min or 10/300)")
    seconds = (int(amount) if amount else 1) * _RATE_UNITS.get(unit, 1)
    if seconds < 1:
        raise ValueError(f"{text!r} has an empty window")
    return count, seconds


def env_rate(name: str, default: str) -> str:
    """A rate for our atomic limiter, validated now and normalised to ``"<count>/<seconds>"``."""
    text = env_str(name, default)
    try:
        count, seconds = parse_rate(text)
    except ValueError as exc:
        raise ConfigurationError(f"{name}: {exc}.") from None
    return f"{count}/{seconds}"


_DRF_PERIODS = {1: "s", 60: "m", 3600: "h", 86400: "d"}


def env_drf_rate(name: str, default: str) -> str:
    """A rate for DRF's throttles, which know one second, minute, hour or day only."""
    text = env_str(name, default)
    try:
        count, seconds = parse_rate(text)
    except ValueError as exc:
        raise ConfigurationError(f"{name}: {exc}.") from None
    if seconds not in _DRF_PERIODS:
        raise ConfigurationError(
            f"{name}: DRF throttles count per second, minute, hour or day, got {text!r}."
        )
    return f"{count}/{_DRF_PERIODS[seconds]}"


def secret_in_file(path: Path, *, length: int = 64) -> str:
    """A random secret kept in ``path``: created once (mode 0600), then read back.

    For development keys only: each checkout (each ``var/``) gets its own, so no key is a
    public literal. The folder is created here, where it is first needed.
    """
    for _attempt in range(100):
        try:
            existing: str | None = path.read_text().strip()
        except FileNotFoundError:
            existing = None
        if existing:
            return existing
        if existing is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                # O_EXCL: processes starting at once all end up with the first one written.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            secret = secrets.token_urlsafe(length)[:length]
            with os.fdopen(fd, "w") as handle:
                handle.write(secret)
            return secret
        time.sleep(0.02)  # another process created the file and is writing it
    raise ConfigurationError(f"{path} exists but stays empty; delete it to get a new key.")
