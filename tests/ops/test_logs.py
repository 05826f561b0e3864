"""JSON log lines with a request id; no e-mail addresses, tokens or passwords in logs."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from tangerine.config.logs import (
    REQUEST_ID_HEADER,
    RequestIdMiddleware,
    current_request_id,
    logging_config,
    redact,
)


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the project's JSON handler configuration into a buffer."""
    stream = io.StringIO()
    config = logging_config(json_lines=True, level="INFO")
    config["handlers"]["console"]["stream"] = stream
    config["root"] = {"handlers": [], "level": "WARNING"}
    config["loggers"] = {"ops.test": {"handlers": ["console"], "level": "INFO", "propagate": False}}
    logging.config.dictConfig(config)
    yield logging.getLogger("ops.test"), stream
    logging.getLogger("ops.test").handlers.clear()


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_is_one_json_object_with_the_request_id(
    captured: tuple[logging.Logger, io.StringIO], rf: RequestFactory
) -> None:
    log, stream = captured

    def view(request: HttpRequest) -> HttpResponse:
        log.info("posted %s", "귤", extra={"post_id": 7})
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="lb-1234.abc"))
    log.info("outside")
    inside, outside = _lines(stream)
    assert inside["message"] == "posted 귤"
    assert inside["request_id"] == "lb-1234.abc"
    assert inside["post_id"] == 7
    assert inside["level"] == "INFO" and inside["logger"] == "ops.test"
    assert str(inside["time"]).endswith("+00:00")
    assert response[REQUEST_ID_HEADER] == "lb-1234.abc"
    assert outside["request_id"] == "-"


@pytest.mark.parametrize("given", ["", "has space", "x" * 129, "new\nline", "<script>"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(
    rf: RequestFactory, given: str
) -> None:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_request_id())
        return HttpResponse("ok")

    headers = {REQUEST_ID_HEADER: given} if given else {}
    response = RequestIdMiddleware(view)(rf.get("/", headers=headers))
    assert seen[0] != given
    assert len(seen[0]) == 32 and int(seen[0], 16) >= 0
    assert response[REQUEST_ID_HEADER] == seen[0]
    assert current_request_id() == "-"  # reset after the request


@pytest.mark.asyncio
async def test_the_async_path_sets_and_resets_the_id(rf: RequestFactory) -> None:
    async def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(current_request_id())

    response = await RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="abc"))
    assert response.content == b"abc"
    assert response[REQUEST_ID_HEADER] == "abc"
    assert current_request_id() == "-"


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("login failed for alice@example.com", "alice@example.com"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl seen", "eyJzdWIiOiIxIn0"),
        ("form password=hunter22&next=/", "hunter22"),
        ('{"password": "hunter 22", "email": "x"}', "hunter 22"),
        ("refresh_token='r-123456' given", "r-123456"),
        ("postgres://tangerine:s3cret@db:5432/tangerine", "s3cret"),
    ],
)
def test_secrets_and_addresses_are_redacted(text: str, leak: str) -> None:
    assert leak not in redact(text)


def test_arguments_and_tracebacks_are_redacted_before_writing(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = captured
    try:
        raise ValueError("no account bob@example.org")
    except ValueError:
        log.exception("reset for %s with token=%s", "carol@example.net", "t0ps3cr3t")
    (line,) = _lines(stream)
    text = json.dumps(line)
    for leak in ("carol@example.net", "t0ps3cr3t", "bob@example.org"):
        assert leak not in text
    assert "[email]" in str(line["message"])
    assert "ValueError" in str(line["exception"])


def test_the_text_format_for_development_carries_the_id_too() -> None:
    stream = io.StringIO()
    config = logging_config(json_lines=False, level="INFO")
    config["handlers"]["console"]["stream"] = stream
    config["root"] = {"handlers": [], "level": "WARNING"}
    config["loggers"] = {"ops.text": {"handlers": ["console"], "level": "INFO", "propagate": False}}
    logging.config.dictConfig(config)
    try:
        logging.getLogger("ops.text").info("hello dave@example.com")
    finally:
        logging.getLogger("ops.text").handlers.clear()
    line = stream.getvalue()
    assert "INFO ops.text [-] hello [email]" in line


def test_in_the_middleware_stack_every_answer_carries_its_id(client: Client, settings: Any) -> None:
    # settings.py wires it first in MIDDLEWARE (until then, added here as it will be).
    if "tangerine.config.logs.RequestIdMiddleware" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = ["tangerine.config.logs.RequestIdMiddleware", *settings.MIDDLEWARE]
    given = client.get("/api/health/live", headers={REQUEST_ID_HEADER: "edge-42"})
    made = client.get("/api/health/live")
    assert given[REQUEST_ID_HEADER] == "edge-42"
    assert len(made[REQUEST_ID_HEADER]) == 32


def test_the_settings_can_import_the_module_before_django_is_set_up() -> None:
    code = (
        "import sys; from tangerine.config.logs import logging_config; "
        "assert not [m for m in sys.modules if m.startswith('django.http')], 'django.http'"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 - a fixed command line of ours
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
