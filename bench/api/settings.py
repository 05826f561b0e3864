"""Bench-only settings: the project's own, plus the plain-Django peer's URLs (bench/api/urls.py).

Selected with ``DJANGO_SETTINGS_MODULE=bench.api.settings`` (the repository root on
``sys.path``); nothing else differs from production settings, so the DRF endpoints run exactly
as they do in the product.
"""

from tangerine.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api.urls"
