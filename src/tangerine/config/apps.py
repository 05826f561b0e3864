"""A start-up hook for the project itself (not a domain app: no models, no routes)."""

from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class ProjectConfig(AppConfig):
    name = "tangerine.config"
    label = "project"
    verbose_name = "Tangerine Market project"

    def ready(self) -> None:
        # The embedded defaults keep files here (SQLite, Milvus Lite, collected static files);
        # created at start rather than when settings are imported, so importing the settings
        # (mypy, a one-off check) writes nothing.
        for folder in (settings.VAR_DIR, settings.STATIC_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)
