"""Values as the API writes them, for the cards built by plain functions.

``iso_datetime`` is DRF's ``DateTimeField().to_representation`` for the project's settings
(ISO 8601 output, ``USE_TZ``): the value in the current time zone, ``+00:00`` written as ``Z``.
DRF looks its settings up and converts through ``enforce_timezone`` on every call: two per card,
forty on a page of posts, ~0.3 ms of a feed request's ~3.3 ms in-process.
``tests/core/test_formats.py`` holds it equal to DRF's for aware, naive and missing values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

_drf_datetime = serializers.DateTimeField().to_representation


def iso_datetime(value: Any) -> str | None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        return _drf_datetime(value)  # None, text, naive values: DRF's own rules
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
