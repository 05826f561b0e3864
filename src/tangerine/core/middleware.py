"""Request checks that apply before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, JsonResponse


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
