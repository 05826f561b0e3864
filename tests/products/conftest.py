from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_uploads(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Originals of each test in its own private folder (outside MEDIA_ROOT)."""
    settings.IMAGE_PRIVATE_ROOT = str(tmp_path / "private")  # type: ignore[attr-defined]
    settings.IMAGE_STORAGE = "local"  # type: ignore[attr-defined]
