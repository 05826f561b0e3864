"""The answers to OPTIONS requests (``DEFAULT_METADATA_CLASS``)."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """DRF's, except that a view whose object lookup is its own (no ``queryset``, a lookup by
    something else than ``pk``) describes no actions instead of failing: DRF's would fetch the
    object through ``get_object`` and raise (a 500 that schemathesis found)."""

    def determine_actions(self, request: Any, view: Any) -> dict[str, Any]:
        try:
            return dict(super().determine_actions(request, view))
        except (AssertionError, AttributeError, KeyError, TypeError):
            return {}
