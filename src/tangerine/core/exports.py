"""A registry of per-app exporters for "download my data".

Each app registers a function that returns a JSON-serialisable view of what a user owns in
that app; ``user_export`` (accounts) calls them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
_exporters: dict[str, Exporter] = {}


def register(*, name: str, exporter: Exporter) -> None:
    _exporters[name] = exporter


def export_all(user: Any) -> dict[str, Any]:
    return {name: exporter(user) for name, exporter in sorted(_exporters.items())}
