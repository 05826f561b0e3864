"""The index follows writes made through the real endpoints (posts, products, reports)."""

from __future__ import annotations

from typing import Any

import pytest


def _found(client: Any, q: str, kind: str) -> list[str]:
    body = client.get("/api/search/", {"q": q, "type": kind}).json()
    return [hit["uuid"] for hit in body[kind]["results"]]


@pytest.mark.django_db
def test_a_post_written_edited_and_deleted_through_the_api(alice, as_user, anon):
    client = as_user(alice)
    created = client.post("/api/posts/p/", {"title": "감귤 수확", "text": "올해 첫 감귤을 땄어요"})
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert _found(anon, "감귤", "post") == [uuid]
    edited = client.patch(f"/api/posts/p/{uuid}/", {"title": "한라봉", "text": "한라봉 수확 시작"})
    assert edited.status_code == 200
    assert _found(anon, "감귤", "post") == []
    assert _found(anon, "한라봉", "post") == [uuid]
    client.patch(f"/api/posts/p/{uuid}/", {"status": "draft"})
    assert _found(anon, "한라봉", "post") == []
    client.patch(f"/api/posts/p/{uuid}/", {"status": "published"})
    assert _found(anon, "한라봉", "post") == [uuid]
    assert client.delete(f"/api/posts/p/{uuid}/").status_code == 204
    assert _found(anon, "한라봉", "post") == []


@pytest.mark.django_db
def test_a_product_created_and_deleted_through_the_api(alice, as_user, anon):
    client = as_user(alice)
    created = client.post(
        "/api/products/",
        {"name": "수제 귤잼", "price": 9000, "link": "https://shop.example.com/jam"},
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert _found(anon, "귤잼", "product") == [uuid]
    assert client.delete(f"/api/products/{uuid}/").status_code == 204
    assert _found(anon, "귤잼", "product") == []


@pytest.mark.django_db
def test_moderation_hides_and_restores_search_results(alice, bob, mod, as_user, anon):
    uuid = as_user(alice).post("/api/posts/p/", {"text": "가짜 명품 가방 팝니다"}).json()["uuid"]
    report = as_user(bob).post(
        "/api/reports/", {"target_type": "post", "target": uuid, "reason": "counterfeit"}
    )
    url = f"/api/reports/{report.json()['uuid']}/"
    as_user(mod).patch(url, {"status": "in_review"})
    as_user(mod).patch(url, {"status": "resolved", "actions": ["hide_content"]})
    assert _found(anon, "명품", "post") == []
    as_user(mod).patch(url, {"status": "in_review"})
    restored = as_user(mod).patch(url, {"status": "resolved", "actions": ["unhide_content"]})
    assert restored.status_code == 200, restored.json()
    assert _found(anon, "명품", "post") == [uuid]
