from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError


def validate_http_url(value: str) -> None:
    """Only http and https links may be stored (no javascript:, data:, file: ...)."""
    if not value:
        return
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a port out of range)
    except ValueError:  # "http://[::1" (an unclosed IPv6 literal), bad ports
        raise ValidationError("Enter a valid link.", code="invalid_url") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError("Enter an http:// or https:// link.", code="invalid_url")
