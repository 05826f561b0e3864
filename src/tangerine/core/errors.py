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
from django.db import InterfaceError, OperationalError
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


class DatabaseUnavailable(exceptions.APIException):
    """The database refused or dropped the connection (restart, failover, "too many clients"):
    a retryable 503, not a 500; nothing was stored by the failed request."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is briefly unavailable. Please try again."
    default_code = "unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every error becomes the one JSON shape."""
    database_down = isinstance(exc, OperationalError | InterfaceError)
    if database_down:
        logger.warning("Database unavailable in an API view: %s", exc)
        exc = DatabaseUnavailable()
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
    if database_down:
        response["Retry-After"] = "1"
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


def json_csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    """CSRF_FAILURE_VIEW: the JSON 403 instead of Django's HTML page (session-cookie requests)."""
    return JsonResponse(
        {"code": "csrf_failed", "detail": "CSRF verification failed. Reload and try again."},
        status=403,
    )


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


# --- the error answers every operation can give, in the OpenAPI schema ----------------------

ERROR_COMPONENT = "Error"
_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer: a machine code, a message, and field messages for 400.",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {},
            "description": "Field name to its messages (lists, or nested objects for nested "
            "fields); present only for validation errors.",
        },
    },
    "required": ["code", "detail"],
}
_GENERIC_ERRORS = {
    400: "Invalid input (`code` invalid, with `fields`), or a malformed body.",
    401: "The access token is missing, invalid or expired.",
    403: "Not allowed for this user.",
    404: "No such object (or not visible to this user).",
    429: "Too many requests; `Retry-After` says when to try again.",
}
_METHODS = ("get", "put", "post", "patch", "delete")
_PAGE_PARAMS = {"page", "cursor"}


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the error answers an operation can give in
    general to each operation that does not document them itself (its own wins):

    - 429 everywhere (every view is throttled);
    - 401 and 403 where a bearer token is read (an invalid token is refused, and permissions
      apply); 403 also where no token is read but the operation writes;
    - 400 where the request has a body or query parameters (validation);
    - 404 where the path names an object, or a ``page``/``cursor`` query parameter may point past
      the end.

    Schema fuzzing (tests/security/test_schema_fuzz.py) checks that answers are documented.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, _ERROR_SCHEMA)
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method in _METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            parameters = operation.get("parameters", [])
            reads_token = any("jwtAuth" in option for option in operation.get("security", []))
            codes = {429}
            if reads_token:
                codes |= {401, 403}
            elif method != "get":
                codes.add(403)
            if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
                codes.add(400)
            # A path naming an object; a page or cursor past the end (DRF's paginators).
            if any(
                p.get("in") == "path" or (p.get("in") == "query" and p["name"] in _PAGE_PARAMS)
                for p in parameters
            ):
                codes.add(404)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if str(code) not in responses:
                    responses[str(code)] = {
                        "content": {"application/json": {"schema": ref}},
                        "description": _GENERIC_ERRORS[code],
                    }
    return result
