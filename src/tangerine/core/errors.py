"""One JSON error format for every error the API returns.

``{"code": "<machine code>", "detail": "<human message>", "fields": {"<field>": ["..."]}}``;
``fields`` is present only for validation errors. No HTML page and no stack trace ever reaches a
client, also for 404 and 500 raised outside DRF views.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def _flatten(detail: Any) -> Any:
    """Turn DRF's ErrorDetail trees into plain lists and dicts of strings."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_code(codes: Any) -> str:
    if isinstance(codes, dict):
        for value in codes.values():
            return _first_code(value)
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    return str(codes) if codes else "error"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every error becomes the one JSON shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in an API view", exc_info=exc)
        return Response(
            {"code": "server_error", "detail": "Something went wrong on our side."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if not isinstance(exc, exceptions.APIException):  # DRF answered for a Django exception
        return response
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail if isinstance(detail, dict) else {"non_field_errors": detail})
        response.data = {"code": "invalid", "detail": "Invalid input.", "fields": fields}
    else:
        message = _flatten(exc.detail)
        if isinstance(message, list):
            message = " ".join(message)
        elif isinstance(message, dict):
            message = " ".join(str(v) for v in message.values())
        response.data = {"code": _first_code(exc.get_codes()), "detail": message}
    return response


def json_404(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"code": "not_found", "detail": "Not found."}, status=404)


def json_500(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"code": "server_error", "detail": "Something went wrong on our side."}, status=500
    )


def json_400(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"code": "bad_request", "detail": "Bad request."}, status=400)


def json_403(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"code": "permission_denied", "detail": "Permission denied."}, status=403)


_error_schemas: dict[str, Any] = {}


def error_schema(name: str) -> Any:
    """The OpenAPI component ``name`` for an error body ``{code, detail}`` (one per name, so
    views of several apps can name the same component)."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    if name not in _error_schemas:
        _error_schemas[name] = inline_serializer(
            name=name,
            fields={"code": serializers.CharField(), "detail": serializers.CharField()},
        )
    return _error_schemas[name]
