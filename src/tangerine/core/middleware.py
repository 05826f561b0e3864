"""Request checks that apply before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from tangerine.core.bodylimit import limit_for


class RejectNulMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    PostgreSQL text cannot hold NUL, so ``/api/accounts/users/%00/`` or ``?search=%00`` reached
    a query that raised ``DataError`` (a 500) in every app that looks things up by a handle or
    filters by a query parameter. JSON bodies are covered by DRF's CharField, which refuses NUL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path_info or "\x00" in query:
            return JsonResponse(
                {"code": "bad_request", "detail": "NUL characters are not allowed in URLs."},
                status=400,
            )
        return self.get_response(request)


class BodySizeMiddleware:
    """A JSON 413 for a declared ``Content-Length`` over the path's limit, before any view reads.

    Under uvicorn the ASGI layer (core/bodylimit.py, installed by config/asgi.py) has already
    refused such a body, also a streamed one; this keeps the same answer for every other entry
    point (the test client, a WSGI server), where Django would raise ``RequestDataTooBig`` inside
    DRF and answer 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = limit_for(
            request.path_info,
            default=settings.REQUEST_MAX_BODY_BYTES,
            by_path=settings.REQUEST_BODY_LIMITS,
        )
        declared = str(request.META.get("CONTENT_LENGTH") or "0").strip()
        if declared.isdigit() and int(declared) > limit:
            return JsonResponse(
                {"code": "too_large", "detail": f"The request body is larger than {limit} bytes."},
                status=413,
            )
        return self.get_response(request)
