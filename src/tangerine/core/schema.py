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
- ``NON_BLANK``: a query parameter that must hold something besides spaces;
  ``NonBlankCharField``: the same for required body text (DRF trims it).
- E-mails in requests carry ``EMAIL_PATTERN`` (Django's top-level domain rule), http(s) links
  ``HTTP_URL_PATTERN`` (the scheme and Django's 253-character host limit).
- ``refuse_nul`` (a post-processing hook): no string the server reads may hold NUL (it answers
  400), so every string parameter and request body string says so.
- ``StrictBooleanField`` / ``StrictCharField`` / ``StrictUUIDField``: JSON ``true``/``false``,
  JSON strings and uuid strings only, where DRF would take ``0``, ``"yes"`` or a number;
  ``query_data``: query parameters where a blank value is a value (refused where the schema
  says so), not a missing parameter.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from tangerine.core.validators import validate_http_url

# The scheme check of validate_http_url, as a pattern (any case: urlsplit lowers the scheme),
# and Django's URLValidator's limit on the host: at most 253 characters (RFC 1034), here on the
# whole authority up to the first / ? or # (``format: uri`` allows any length, so a link with a
# 1,000-character host was schema-valid and a 400).
HTTP_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]{1,253}(?:[/?#]|$)"
# Django's EmailValidator (every EmailField) wants a top-level domain of 2-63 letters (any
# letter from U+00A1 on counts; not starting or ending with "-") or a punycode one; ``format:
# email`` allows "0@0.a". Its "localhost" domain is left out: no address of ours has it.
_TLD_LETTER = r"A-Za-z\u00a1-\uffff"
EMAIL_PATTERN = (
    f"\\.(?:[{_TLD_LETTER}][{_TLD_LETTER}-]{{0,61}}[{_TLD_LETTER}]|[Xx][Nn]--[A-Za-z0-9]{{1,59}})$"
)
# The characters Python's str.strip() removes (str.isspace), spelled out: ECMA's ``\s`` (what
# schemathesis' validator reads) lacks \x1c-\x1f and \x85, and has \ufeff, so ``\S`` let "\x1e"
# through as "not blank" while DRF trimmed it to a blank 400. Use inside a character class.
SPACE = r"\t\n\u000b\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Text that is not blank once trimmed: one character besides those.
NOT_BLANK = f"[^{SPACE}]"
# A required text query parameter that the view trims: at least one non-space character.
NON_BLANK: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": NOT_BLANK}
# No NUL character: PostgreSQL text cannot hold one, so RejectNulMiddleware answers 400 to a NUL
# in a path or query string, and DRF's CharField to one in a body.
NUL_FREE = r"^[^\u0000]*$"
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


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``. DRF's BooleanField also takes ``0``, ``1``, ``"yes"``,
    ``"off"`` and more, which the schema (``type: boolean``) calls invalid: a client sending
    them has a bug, so they are a 400 naming the field."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    """A JSON string. DRF's CharField turns a number into its digits, which the schema
    (``type: string``) calls invalid: a number is a 400 naming the field."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictUUIDField(serializers.UUIDField):
    """A uuid in a JSON string. DRF's UUIDField also turns an integer (and ``false``, an int
    in Python) into a uuid, which the schema (``format: uuid``) calls invalid."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


def query_data(request: Any) -> dict[str, str]:
    """The query parameters for a query serializer, the last of repeated ones winning (as
    ``request.query_params[name]``). A plain dict, not the QueryDict: DRF reads a blank value
    in a QueryDict (``?status=``) as an omitted optional field, so it filtered nothing while
    the schema calls a blank choice or number invalid; here it is a value, refused (400)."""
    return dict(request.query_params.dict())


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


class NonBlankCharField(StrictCharField):
    """Required text, a JSON string, that DRF trims (``trim_whitespace``, the default): blank
    once trimmed is a 400, so the schema says ``NOT_BLANK`` (``minLength: 1`` alone let
    ``"\\x1c"`` through)."""


class _RequestPatternExtension(OpenApiSerializerFieldExtension):
    """The field's own schema, with ``request_pattern`` on the request side (answers keep the
    plain schema)."""

    target_class = NonBlankCharField
    request_pattern = NOT_BLANK

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["pattern"] = self.request_pattern
        return schema


class _EmailExtension(_RequestPatternExtension):
    """Every e-mail a request sends: ``format: email`` and Django's top-level domain rule."""

    target_class = serializers.EmailField  # type: ignore[assignment]
    match_subclasses = True
    request_pattern = EMAIL_PATTERN


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


# Formats whose values cannot hold NUL (a validator of the format refuses it anyway).
_NUL_FREE_FORMATS = {"uuid", "date", "date-time", "time", "binary", "byte", "ipv4", "ipv6"}


def _exclude_nul(node: Any, schemas: dict[str, Any], seen: set[str]) -> None:
    """Say "no NUL" on every free-text string in ``node`` (following request components)."""
    if isinstance(node, list):
        for item in node:
            _exclude_nul(item, schemas, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        if name not in seen and name in schemas:
            seen.add(name)
            _exclude_nul(schemas[name], schemas, seen)
        return
    free_text = (
        node.get("type") == "string"
        and "enum" not in node
        and node.get("format") not in _NUL_FREE_FORMATS
        and node.get("maxLength") != 0
        and not node.get("readOnly")
    )
    if free_text and "pattern" not in node:
        node["pattern"] = NUL_FREE
    elif free_text and "\\u0000" not in node["pattern"]:
        node["not"] = {"pattern": "\\u0000"}  # beside a pattern of its own
    for key in ("properties", "patternProperties"):
        for child in node.get(key, {}).values():
            _exclude_nul(child, schemas, seen)
    for key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
        if key in node:
            _exclude_nul(node[key], schemas, seen)


def refuse_nul(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: no string the server reads may hold NUL.

    A NUL in a path or query string is a 400 (``RejectNulMiddleware``), and so is one in any
    string of a body (DRF's CharField). Each string path and query parameter and each string
    of a request body (and the request components it names) gets ``pattern: ^[^\\u0000]*$``,
    or, beside a pattern of its own, ``not: {pattern: \\u0000}``; enums and formats that
    cannot hold NUL (uuid, date, ...) are left as they are. An operation with a path parameter
    documents the 400 too."""
    schemas = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            parameters = [
                p for p in operation.get("parameters", []) if p.get("in") in ("path", "query")
            ]
            for parameter in parameters:
                _exclude_nul(parameter.get("schema"), schemas, seen)
            for body in operation.get("requestBody", {}).get("content", {}).values():
                _exclude_nul(body.get("schema"), schemas, seen)
            responses = operation.get("responses", {})
            if any(p["in"] == "path" for p in parameters) and "400" not in responses:
                responses["400"] = {
                    "content": {"application/json": {"schema": _ERROR_REF}},
                    "description": "A NUL character in the path.",
                }
    return result
