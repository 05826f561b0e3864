"""Request checks that apply before any view runs, and the release of a rendered response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

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


class ReleaseRenderedMiddleware:
    """Unlink what a rendered DRF response left in reference cycles, so that reference counting
    frees the request's objects at once instead of the garbage collector, later.

    DRF links a response to its own ``renderer_context`` (``context["response"]``) and to its
    view (``view.response``; Django's ``View.setup`` links a view to itself, ``view.head``), a
    ``Request`` to itself and to its view (``parser_context``), a serializer to the list its
    ``data`` returns (``ReturnList.serializer`` and ``serializer._data``), a list serializer to
    its child (``child.parent``) and a serializer to its bound fields (``field.parent``). Each
    cycle kept the whole page alive (its posts, authors, dicts: ~300 objects a list request,
    against ~60 for a plain Django view), so the collector ran ~4 times as often under DRF and
    every run walked the pages of all requests in flight (issue 17). Once the response is
    rendered nothing reads those links: its content is bytes, and ``response.data`` stays as
    it was (tests read it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        context = getattr(response, "renderer_context", None)
        if isinstance(context, dict) and getattr(response, "is_rendered", False):
            release_rendered(response, context)
        return response


def release_rendered(response: HttpResponse, context: dict[str, Any]) -> None:
    """Unlink ``response``'s DRF cycles (``ReleaseRenderedMiddleware``)."""
    context.pop("response", None)
    view = context.get("view")
    if view is not None:
        # Django's View.setup binds head to get (view.head.__self__ is the view), and DRF's
        # dispatch keeps the response, the request and the paginator with its page.
        vars(view).clear()
    drf_request = context.get("request")
    parser_context = getattr(drf_request, "parser_context", None)
    if isinstance(parser_context, dict):
        parser_context.pop("request", None)
        parser_context.pop("view", None)
    data = getattr(response, "data", None)
    values = list(data.values()) if isinstance(data, dict) else []
    for value in [data, *values]:
        serializer = getattr(value, "serializer", None)
        if isinstance(value, ReturnDict | ReturnList) and serializer is not None:
            _release_serializer(serializer)


def _release_serializer(serializer: Any) -> None:
    state = vars(serializer)
    state.pop("_data", None)  # the ReturnList/ReturnDict, which points back
    state.pop("fields", None)  # bound fields point back through .parent
    child = state.get("child")
    if child is not None:
        child.parent = None
        vars(child).pop("fields", None)
