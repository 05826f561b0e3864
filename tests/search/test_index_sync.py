"""The index follows every lifecycle event through search.services (background jobs)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tangerine.integrations import milvus
from tangerine.posts.models import Post
from tangerine.search import services
from tangerine.search.models import SearchDocument, SearchPosting


def search(client: Any, q: str, kind: str = "post") -> list[str]:
    response = client.get("/api/search/", {"q": q, "type": kind})
    assert response.status_code == 200, response.content
    return [hit["uuid"] for hit in response.json()[kind]["results"]]


def in_vector_store(kind: str, object_id: int) -> bool:
    return (kind, object_id) in milvus.get_vectors([(kind, object_id)])


def test_a_created_post_is_found_by_words_and_by_vector(alice, anon, make_post):
    post = make_post(author=alice, title="겨울 코트", text="따뜻한 울 코트를 샀어요")
    assert search(anon, "코트") == [str(post.uuid)]
    assert in_vector_store("post", post.pk)
    assert SearchDocument.objects.get(kind="post", object_id=post.pk).dense_synced


def test_an_edit_replaces_the_old_words(alice, anon, make_post):
    post = make_post(author=alice, title="camping tent", text="a light tent")
    post.title, post.text = "hiking boots", "waterproof boots"
    post.save()
    services.post_changed(post_id=post.pk)
    assert search(anon, "tent") == []
    assert search(anon, "boots") == [str(post.uuid)]


def test_a_deleted_post_leaves_the_index(alice, anon, make_post):
    post = make_post(author=alice, title="vintage camera", text="film camera")
    post_id = post.pk
    post.delete()
    services.post_deleted(post_id=post_id)
    assert not SearchPosting.objects.filter(kind="post", object_id=post_id).exists()
    assert not in_vector_store("post", post_id)
    assert search(anon, "camera") == []


def test_hiding_removes_and_unhiding_restores(alice, anon, make_post):
    post = make_post(author=alice, title="leather bag", text="bag")
    post.hidden_at = timezone.now()
    post.save()
    services.post_changed(post_id=post.pk)
    assert not in_vector_store("post", post.pk)
    assert search(anon, "bag") == []
    post.hidden_at = None
    post.save()
    services.post_changed(post_id=post.pk)
    assert search(anon, "bag") == [str(post.uuid)]
    assert in_vector_store("post", post.pk)


def test_a_draft_is_indexed_only_once_published(alice, make_post, as_user):
    post = make_post(author=alice, title="secret draft", text="draft words", status="draft")
    assert not SearchDocument.objects.filter(object_id=post.pk).exists()
    # Not even its author finds a draft through search.
    assert search(as_user(alice), "draft") == []
    post.status = Post.Status.PUBLISHED
    post.save()
    services.post_changed(post_id=post.pk)
    assert search(as_user(alice), "draft") == [str(post.uuid)]
    post.status = Post.Status.DRAFT
    post.save()
    services.post_changed(post_id=post.pk)
    assert search(as_user(alice), "draft") == []


def test_account_deletion_removes_all_content(alice, anon, make_post, make_product):
    make_post(author=alice, title="keyboard", text="mechanical keyboard")
    product = make_product(owner=alice, name="keyboard switch")
    user_id, product_id = alice.pk, product.pk
    alice.delete()
    services.user_deleted(user_id=user_id)
    assert not SearchDocument.objects.filter(owner_id=user_id).exists()
    assert not SearchPosting.objects.exists()
    assert not in_vector_store("product", product_id)
    assert search(anon, "keyboard", "post") == []


def test_suspension_hides_and_unsuspension_restores(alice, anon, make_post, make_product):
    post = make_post(author=alice, title="guitar", text="acoustic guitar")
    product = make_product(owner=alice, name="guitar strings")
    alice.suspended_at = timezone.now()
    alice.save()
    services.user_changed(user_id=alice.pk)
    assert not in_vector_store("post", post.pk)
    assert search(anon, "guitar", "product") == []
    alice.suspended_at = None
    alice.save()
    services.user_changed(user_id=alice.pk)
    assert search(anon, "guitar") == [str(post.uuid)]
    assert search(anon, "guitar", "product") == [str(product.uuid)]


def test_search_rechecks_the_database_when_an_index_job_is_late(alice, anon, make_post):
    hidden = make_post(author=alice, title="sneakers one", text="sneakers")
    drafted = make_post(author=alice, title="sneakers two", text="sneakers")
    kept = make_post(author=alice, title="sneakers three", text="sneakers")
    # Changed without telling search: the index still holds all three.
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    Post.objects.filter(pk=drafted.pk).update(status="draft")
    assert search(anon, "sneakers") == [str(kept.uuid)]


def test_blocked_authors_are_left_out_both_ways(alice, bob, carol, as_user, make_post):
    from tangerine.accounts.models import Block

    alice_post = make_post(author=alice, title="drone", text="drone")
    carol_post = make_post(author=carol, title="drone too", text="drone")
    Block.objects.create(blocker=bob, blocked=alice)
    assert search(as_user(bob), "drone") == [str(carol_post.uuid)]
    assert search(as_user(alice), "drone") == [str(alice_post.uuid), str(carol_post.uuid)] or set(
        search(as_user(alice), "drone")
    ) == {str(alice_post.uuid), str(carol_post.uuid)}
    Block.objects.create(blocker=carol, blocked=bob)
    assert search(as_user(bob), "drone") == []


def test_reindex_command_rebuilds_everything(alice, anon, make_post, make_product):
    from django.core.management import call_command

    post = make_post(author=alice, title="espresso machine", text="espresso", index=False)
    product = make_product(owner=alice, name="espresso beans", index=False)
    assert search(anon, "espresso") == []
    call_command("reindex", "--drop", verbosity=0)
    assert search(anon, "espresso") == [str(post.uuid)]
    assert search(anon, "espresso", "product") == [str(product.uuid)]
    assert milvus.count() == 2


def test_a_job_run_while_the_store_is_down_is_repaired_by_reindex_missing(
    alice, anon, make_post, settings, tmp_path
):
    from django.core.management import call_command

    good_uri = settings.MILVUS_URI
    milvus.reset()
    settings.MILVUS_URI = "http://127.0.0.1:9"
    post = make_post(author=alice, title="tripod", text="tripod")
    doc = SearchDocument.objects.get(kind="post", object_id=post.pk)
    assert not doc.dense_synced  # keyword-indexed, vector missing
    milvus.reset()
    settings.MILVUS_URI = good_uri
    call_command("reindex", "--missing", verbosity=0)
    assert in_vector_store("post", post.pk)
    assert SearchDocument.objects.get(pk=doc.pk).dense_synced
