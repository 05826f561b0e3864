"""``core.formats.iso_datetime`` writes what DRF's ``DateTimeField`` writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from django.utils import timezone as django_timezone
from rest_framework import serializers

from tangerine.core.formats import iso_datetime

VALUES = [
    None,
    "",
    "2026-12-07T03:00:00Z",
    datetime(2026, 12, 7, 3, 4, 5, tzinfo=UTC),
    datetime(2026, 12, 7, 3, 4, 5, 123456, tzinfo=UTC),
    datetime(2026, 12, 7, 3, 4, 5, 1, tzinfo=timezone(timedelta(hours=9))),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
    datetime(2026, 12, 7, 3, 4, 5),  # noqa: DTZ001 (naive: DRF makes it aware in the current zone)
]


@pytest.mark.parametrize("zone", [None, "Asia/Seoul", "America/St_Johns"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_iso_datetime_is_drfs_output(value: Any, zone: str | None) -> None:
    drf = serializers.DateTimeField()
    if zone is None:
        assert iso_datetime(value) == drf.to_representation(value)
        return
    with django_timezone.override(zone):
        assert iso_datetime(value) == serializers.DateTimeField().to_representation(value)
