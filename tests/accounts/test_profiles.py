"""Profiles, user search, blocks, mutes, export and account deletion."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, Mute, User
from tangerine.images.models import Image
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def test_anyone_reads_a_public_profile_without_the_email(anon: APIClient, alice: User) -> None:
    response = anon.get("/api/accounts/users/ALICE/")
    assert response.status_code == 200
    body = response.json()
    assert body["handle"] == "alice"
    assert "email" not in body
    assert body["is_following"] is False
    assert body["follower_count"] == 0


def test_the_owner_sees_their_email(as_user: Client, alice: User) -> None:
    assert as_user(alice).get("/api/accounts/users/alice/").json()["email"] == "alice@example.com"


def test_unknown_handle_is_404_in_the_error_format(anon: APIClient) -> None:
    response = anon.get("/api/accounts/users/nobody_here/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_suspended_users_profiles_are_gone(anon: APIClient, alice: User) -> None:
    from django.utils import timezone

    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert anon.get("/api/accounts/users/alice/").status_code == 404


def test_owner_edits_profile_with_patch(as_user: Client, alice: User) -> None:
    response = as_user(alice).patch(
        "/api/accounts/users/alice/",
        {"display_name": "앨리스 김", "bio": "귤 농장 🍊", "link_1": "https://shop.example.com"},
    )
    assert response.status_code == 200, response.json()
    alice.refresh_from_db()
    assert (alice.display_name, alice.bio, alice.link_1) == (
        "앨리스 김",
        "귤 농장 🍊",
        "https://shop.example.com",
    )


def test_put_requires_every_field(as_user: Client, alice: User) -> None:
    response = as_user(alice).put("/api/accounts/users/alice/", {"display_name": "x"})
    assert response.status_code == 400
    assert {"bio", "link_1", "link_2", "handle"} <= set(response.json()["fields"])


def test_editing_someone_elses_profile_is_403(as_user: Client, alice: User, bob: User) -> None:
    response = as_user(bob).patch("/api/accounts/users/alice/", {"bio": "hacked"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.bio == ""


def test_anonymous_cannot_edit(anon: APIClient, alice: User) -> None:
    assert anon.patch("/api/accounts/users/alice/", {"bio": "x"}).status_code == 401


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://files.example.com", "data:text/html,hi", "not a url"]
)
def test_only_http_links_are_accepted(as_user: Client, alice: User, link: str) -> None:
    response = as_user(alice).patch("/api/accounts/users/alice/", {"link_1": link})
    assert response.status_code == 400
    assert "link_1" in response.json()["fields"]


def test_overlong_bio_is_400(as_user: Client, alice: User) -> None:
    response = as_user(alice).patch("/api/accounts/users/alice/", {"bio": "가" * 501})
    assert response.status_code == 400
    assert "bio" in response.json()["fields"]


def test_handle_change_respects_uniqueness_and_reserved_words(
    as_user: Client, alice: User, bob: User
) -> None:
    client = as_user(alice)
    assert client.patch("/api/accounts/users/alice/", {"handle": "BOB"}).status_code == 400
    assert client.patch("/api/accounts/users/alice/", {"handle": "settings"}).status_code == 400
    ok = client.patch("/api/accounts/users/alice/", {"handle": "Alice_Kim"})
    assert ok.status_code == 200
    assert anon_get_status("/api/accounts/users/alice_kim/") == 200


def anon_get_status(path: str) -> int:
    return APIClient().get(path).status_code


def test_profile_image_must_be_ones_own_image(as_user: Client, alice: User, bob: User) -> None:
    bobs = Image.objects.create(owner=bob, content_type="image/png", size=10, key="k/bob")
    mine = Image.objects.create(owner=alice, content_type="image/png", size=10, key="k/alice")
    refused = as_user(alice).patch("/api/accounts/users/alice/", {"profile_image": str(bobs.uuid)})
    assert refused.status_code == 400
    assert "profile_image" in refused.json()["fields"]
    accepted = as_user(alice).patch("/api/accounts/users/alice/", {"profile_image": str(mine.uuid)})
    assert accepted.status_code == 200
    assert accepted.json()["profile_image"]["uuid"] == str(mine.uuid)
    cleared = as_user(alice).patch("/api/accounts/users/alice/", {"profile_image": None})
    assert cleared.json()["profile_image"] is None


def test_users_list_searches_handles_and_names_for_members_only(
    anon: APIClient, as_user: Client, alice: User, bob: User, carol: User
) -> None:
    assert anon.get("/api/accounts/users/").status_code == 401
    found = as_user(alice).get("/api/accounts/users/", {"search": "캐럴"}).json()
    assert [user["handle"] for user in found["results"]] == ["carol"]
    everyone = as_user(alice).get("/api/accounts/users/").json()
    assert everyone["count"] == 3


def test_users_list_query_count_does_not_grow_with_rows(
    as_user: Client,
    alice: User,
    make_user: Callable[..., User],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = as_user(alice)
    for _ in range(5):
        make_user()
    # auth user, count, page (relation flags are subqueries of the page query)
    with django_assert_num_queries(3):
        client.get("/api/accounts/users/")
    for _ in range(25):
        make_user()
    with django_assert_num_queries(3):
        assert len(client.get("/api/accounts/users/").json()["results"]) == 20


def test_block_and_unblock(as_user: Client, alice: User, bob: User) -> None:
    client = as_user(alice)
    response = client.post("/api/accounts/users/bob/block/")
    assert response.status_code == 200
    assert response.json()["is_blocked"] is True
    assert client.post("/api/accounts/users/bob/block/").status_code == 200  # idempotent
    assert Block.objects.filter(blocker=alice, blocked=bob).count() == 1
    assert client.delete("/api/accounts/users/bob/block/").status_code == 204
    assert not Block.objects.exists()


def test_blocking_ends_follows_both_ways(as_user: Client, alice: User, bob: User) -> None:
    from tangerine.follows.services import follow_create

    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)
    as_user(alice).post("/api/accounts/users/bob/block/")
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.follower_count, alice.following_count) == (0, 0)
    assert (bob.follower_count, bob.following_count) == (0, 0)


def test_cannot_block_or_mute_yourself(as_user: Client, alice: User) -> None:
    assert as_user(alice).post("/api/accounts/users/alice/block/").status_code == 400
    assert as_user(alice).post("/api/accounts/users/alice/mute/").status_code == 400


def test_mute_and_unmute(as_user: Client, alice: User, bob: User) -> None:
    muted = as_user(alice).post("/api/accounts/users/bob/mute/")
    assert muted.status_code == 200
    assert muted.json()["is_muted"] is True
    assert Mute.objects.filter(muter=alice, muted=bob).exists()
    assert as_user(alice).get("/api/accounts/users/bob/").json()["is_muted"] is True
    assert as_user(bob).get("/api/accounts/users/alice/").json()["is_muted"] is False
    assert as_user(alice).delete("/api/accounts/users/bob/mute/").status_code == 204
    assert not Mute.objects.exists()


def test_block_unknown_user_is_404(as_user: Client, alice: User) -> None:
    assert as_user(alice).post("/api/accounts/users/ghost/block/").status_code == 404


def test_export_contains_my_data_only(as_user: Client, alice: User, bob: User) -> None:
    as_user(alice).post("/api/accounts/users/bob/mute/")
    response = as_user(alice).get("/api/accounts/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == "alice@example.com"
    assert data["account"]["muted"] == ["bob"]
    assert "bob@example.com" not in response.content.decode()


def test_export_needs_authentication(anon: APIClient) -> None:
    assert anon.get("/api/accounts/export/").status_code == 401


def test_owner_deletes_account_and_tokens_die(as_user: Client, alice: User, bob: User) -> None:
    client = as_user(alice)
    assert as_user(bob).delete("/api/accounts/users/alice/").status_code == 403
    deleted = client.delete("/api/accounts/users/alice/", {"current_password": PASSWORD})
    assert deleted.status_code == 204
    assert not User.objects.filter(handle="alice").exists()
    assert client.get("/api/accounts/me/").status_code == 401
