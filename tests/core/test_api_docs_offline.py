"""Swagger UI and ReDoc work without the internet: their files come from our /static/ (the
pinned drf-spectacular-sidecar package), not from a CDN at @latest."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.parametrize("path", ["/api/schema/swagger-ui/", "/api/schema/redoc/"])
def test_api_docs_pages_load_their_assets_from_our_static_files(path: str) -> None:
    response = Client().get(path, secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assets = re.findall(r'(?:src|href)="/static/([^"?]+)', html)
    assert any(asset.endswith(".js") for asset in assets), html[:500]
    for asset in assets:
        assert finders.find(asset), f"/static/{asset} is not a file of ours"


def test_the_asset_itself_is_served_in_production_without_collectstatic() -> None:
    html = Client().get("/api/schema/swagger-ui/", secure=True).content.decode()
    bundle = next(a for a in re.findall(r'src="(/static/[^"?]+\.js)', html))
    response = Client().get(bundle, secure=True)
    assert response.status_code == 200
    assert b"swagger" in b"".join(response.streaming_content).lower()  # type: ignore[attr-defined]
