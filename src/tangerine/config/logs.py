"""Structured logs: JSON lines with a request id, and no secrets or e-mail addresses.

Wiring (settings.py): ``RequestIdMiddleware`` first in ``MIDDLEWARE``; in ``LOGGING`` the
``json`` formatter (``JsonFormatter``) in production and the ``text`` one in development, with
the ``request_id`` and ``redact`` filters on the console handler (see ``logging_config``).

- **Request id**: taken from the client's ``X-Request-ID`` when it is a plain token of at most
  128 characters (a proxy or load balancer usually sets it), otherwise made here (32 hex
  digits). It is returned in the response's ``X-Request-ID`` and put on every log record of the
  request (``request_id``; ``-`` outside a request) through a context variable, which asgiref
  carries into the request's sync threads.
- **Redaction**: whatever a message or its arguments contain, e-mail addresses, bearer tokens,
  JWTs and ``password=``/``token=``/``secret=`` values are replaced before the record is
  written, in the message and in the traceback.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from tangerine.core.context import current_request_id, new_request_id, request_id

if TYPE_CHECKING:  # settings.py imports this module: nothing of Django's at import time
    from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

# The context variable lives in core (jobs and realtime events carry it on); re-exported here.
__all__ = ["current_request_id", "new_request_id", "request_id"]


def _incoming_id(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _VALID_ID.fullmatch(given) else new_request_id()


class RequestIdMiddleware:
    """Gives each request an id (its own ``X-Request-ID`` if sane), for its logs and response."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        token = request_id.set(_incoming_id(request))
        try:
            response: HttpResponse = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        token = request_id.set(_incoming_id(request))
        try:
            get_response: Callable[[HttpRequest], Awaitable[HttpResponse]] = self.get_response
            response = await get_response(request)
            response[REQUEST_ID_HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``%(request_id)s``, JSON ``request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


_SECRET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # JWTs (three base64url parts, the first two JSON objects: "eyJ...").
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[jwt]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    # password=..., "token": "...", secret: ... (keys that name a secret).
    (
        re.compile(
            r"(?i)([\"']?\b[\w-]*(?:password|passwd|secret|token|api[_-]?key|signature)[\w-]*"
            r"[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"
        ),
        r"\1[redacted]",
    ),
    # userinfo in URLs: scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@"), r"\1:[redacted]@"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
]


def redact(text: str) -> str:
    """``text`` with e-mail addresses, tokens and passwords replaced."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Redacts the formatted message (arguments included) and any traceback of a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error report
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# Attributes every LogRecord has; anything else came in through ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if _jsonable(value) else repr(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=repr)


def _jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | type(None) | list | dict)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dict: JSON lines (production) or text (development), filtered."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "tangerine.config.logs.RequestIdFilter"},
            "redact": {"()": "tangerine.config.logs.RedactFilter"},
        },
        "formatters": {
            "json": {"()": "tangerine.config.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["request_id", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.request": {"level": "ERROR"}},
    }
