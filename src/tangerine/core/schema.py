"""OpenAPI schema rules every app can use, so that the schema states what the API does.

Schema fuzzing (tests/security/test_schema_fuzz.py) sends requests the schema calls valid and
expects them accepted, and checks every answer against the schema. What DRF fields and
serializers cannot say by themselves is said here:

- ``HttpUrlField`` / ``HttpUrlTextField``: an http(s) link, documented as ``format: uri`` with an
  ``http(s)://`` pattern; with ``allow_blank`` the schema says "a link, or empty" (``oneOf`` of
  the link and ``maxLength: 0``), since an empty link is answered as ``""``.
- ``body_rules(...)``: JSON Schema keywords a view's ``validate()`` enforces on the whole body
  (``minProperties``, ``oneOf`` of required sets, ``minItems``), added to the operation's
  request body by the ``apply_body_rules`` post-processing hook.
- ``error_response(...)``: an extra error answer of an operation (the shared ``Error`` body).
- ``NON_BLANK``: a query parameter that must hold something besides spaces.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from tangerine.core.validators import validate_http_url

# The scheme check of validate_http_url, as a pattern (any case: urlsplit lowers the scheme).
HTTP_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://"
# A required text query parameter that the view trims: at least one non-space character.
NON_BLANK: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}
BODY_RULES = "x-tangerine-body-rules"
_ERROR_REF = {"$ref": "#/components/schemas/Error"}  # added by core.errors' hook


class HttpUrlField(serializers.URLField):
    """An http(s) link (URL validation plus ``validate_http_url``); ``allow_blank`` for an
    optional one, which is then answered as ``""``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)
        if not self.read_only:
            self.validators.append(validate_http_url)


class HttpUrlTextField(serializers.CharField):
    """A link the view checks itself (its own error codes), documented as an http(s) link."""


class _HttpUrlExtension(OpenApiSerializerFieldExtension):
    target_class = HttpUrlField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        link: dict[str, Any] = {"type": "string", "format": "uri", "pattern": HTTP_URL_PATTERN}
        if getattr(self.target, "max_length", None):
            link["maxLength"] = self.target.max_length
        if getattr(self.target, "allow_blank", False):
            return {"oneOf": [link, {"type": "string", "maxLength": 0}]}
        return link


class _HttpUrlTextExtension(_HttpUrlExtension):
    target_class = HttpUrlTextField  # type: ignore[assignment]


def body_rules(**keywords: Any) -> dict[str, Any]:
    """``extend_schema(extensions=body_rules(minProperties=1))``: JSON Schema keywords for the
    operation's JSON request body, beside what its serializer documents. ``properties`` adds
    keywords to the named properties (``{"warning": {"enum": [True]}}``)."""
    return {BODY_RULES: keywords}


def error_response(description: str) -> OpenApiResponse:
    """An error answer (the shared ``Error`` body) with what it means for this operation."""
    return OpenApiResponse(response=_ERROR_REF, description=description)


def apply_body_rules(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: merge each operation's ``body_rules`` into its JSON
    request body schema: into the request component it names (such components are made for
    one operation's request; ``additionalProperties`` then sits beside their ``properties``),
    or into the inline schema (an array of items)."""
    schemas = result.get("components", {}).get("schemas", {})
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or BODY_RULES not in operation:
                continue
            rules = dict(operation.pop(BODY_RULES))
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, body in content.items():
                if "json" not in media_type:
                    continue
                schema = body["schema"]
                if "$ref" in schema:
                    schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
                for name, extra in rules.get("properties", {}).items():
                    schema["properties"][name] = {**schema["properties"][name], **extra}
                schema.update({k: v for k, v in rules.items() if k != "properties"})
            if content:
                operation["requestBody"]["required"] = True
    return result
