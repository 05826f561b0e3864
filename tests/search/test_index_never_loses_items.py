"""The vector index never silently loses an item (issue 11): concurrent writers, failures, repair.

Real Milvus Lite files (one per test, from conftest) and the hash embedder; the writer threads
use their own database connections, so these tests commit (``transaction=True``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.integrations import milvus
from tangerine.posts.models import Post
from tangerine.products.models import Product
from tangerine.search import services
from tangerine.search.models import SearchDocument
from tests.search.conftest import UNREACHABLE_MILVUS

WORDS = [
    "tangerine",
    "coffee",
    "jacket",
    "camera",
    "keyboard",
    "tent",
    "scarf",
    "cookie",
    "amp",
    "sticker",
]


def _posts(author: User, n: int, **extra: Any) -> list[Post]:
    return [
        Post.objects.create(
            author=author,
            title=f"{WORDS[i % len(WORDS)]} {i}",
            text=f"{WORDS[(i * 3) % len(WORDS)]} item number {i}",
            **extra,
        )
        for i in range(n)
    ]


def _products(owner: User, n: int) -> list[Product]:
    return [
        Product.objects.create(
            owner=owner,
            name=f"{WORDS[(i * 7) % len(WORDS)]} {i}",
            description=f"product {i}",
            price=1000 + i,
            link="https://shop.example.com/item",
        )
        for i in range(n)
    ]


def _missing_from_store(keys: list[tuple[str, int]]) -> list[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for start in range(0, len(keys), 100):
        found |= set(milvus.get_vectors(keys[start : start + 100]))
    return [k for k in keys if k not in found]


def _in_threads(targets: list[Callable[[], None]], timeout: float = 60.0) -> list[BaseException]:
    """Run the targets at once (a barrier), each in its own thread and database connection."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def run(target: Callable[[], None]) -> None:
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "writer threads hung"
    return errors


@pytest.fixture(autouse=True)
def _fresh_missing_count() -> None:
    services.clear_missing_count()  # remembered per process: each test has its own rows


@pytest.fixture
def no_sync(settings: Any) -> Iterator[None]:
    """Items are created without index jobs (as if their jobs were lost)."""
    settings.SEARCH_INDEX_SYNC = False
    yield
    settings.SEARCH_INDEX_SYNC = True


@pytest.fixture
def repair_stopped() -> Iterator[None]:
    """Whatever background repair a test starts is stopped before the next test."""
    yield
    from tangerine.search import sweep

    sweep.stop_repair()


# --- 1. concurrent writers --------------------------------------------------------------------


# PostgreSQL: the SQLite test database is one in-memory file in shared-cache mode, where threads
# writing at once fail at once with "database table is locked" (no busy wait), unlike the
# WAL file `make run` uses (tests/core cover SQLite writers in separate processes).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_race_threads_writing_at_once_plus_a_reindex_leave_every_item_with_a_vector(
    alice: User, bob: User, settings: Any, no_sync: None
) -> None:
    """N writer threads x M rounds of index jobs over shared items, while ``reindex`` runs.

    On the old code Milvus Lite's flush race ("current_seq is monotonic") marked the store down
    for 30 s and most items were left without a vector.
    """
    posts = _posts(alice, 24)
    products = _products(bob, 8)
    settings.SEARCH_INDEX_SYNC = True
    keys = [("post", p.pk) for p in posts] + [("product", p.pk) for p in products]
    threads = 4  # N; each writes M = len(keys) / 2 items, every item by two threads at once
    shares = [keys[i % 2 :: 2] for i in range(threads)]

    def writer(share: list[tuple[str, int]]) -> Callable[[], None]:
        def run() -> None:
            for kind, object_id in share:  # as a task thread runs index jobs
                if kind == "post":
                    services.index_post(post_id=object_id)
                else:
                    services.index_product(product_id=object_id)

        return run

    def reindex() -> None:
        services.reindex_all(batch_size=8)

    errors = _in_threads([writer(share) for share in shares] + [reindex])

    assert errors == []
    assert milvus.available(), "a write race must not mark the store down"
    assert _missing_from_store(keys) == []
    assert milvus.count() == len(keys)
    assert not SearchDocument.objects.filter(dense_synced=False).exists()
    assert services.missing_vector_count() == 0


# --- 2. failures: what marks the store down, and what never stops the shared server -----------


@pytest.mark.django_db
def test_a_rejected_write_does_not_mark_the_store_down_nor_stop_the_lite_server(
    settings: Any,
) -> None:
    from milvus_lite.server_manager import server_manager_instance

    item = milvus.VectorItem("post", 1, 1, True, np.ones(milvus.DIM, dtype=np.float32))
    milvus.upsert([item])
    servers_before = dict(server_manager_instance._servers)
    assert len(servers_before) == 1

    wrong_dim = milvus.VectorItem("post", 2, 1, True, np.ones(7, dtype=np.float32))
    with pytest.raises(milvus.VectorStoreError) as raised:
        milvus.upsert([wrong_dim])
    assert not isinstance(raised.value, milvus.VectorStoreUnavailableError)

    assert milvus.available(), "an error of one call must not make everyone skip the store"
    # The same Lite server (same port) still serves the file, and other calls still work.
    assert server_manager_instance._servers.keys() == servers_before.keys()
    assert [e[2] for e in server_manager_instance._servers.values()] == [
        e[2] for e in servers_before.values()
    ]
    assert set(milvus.get_vectors([("post", 1)])) == {("post", 1)}


@pytest.mark.django_db
def test_only_an_unreachable_store_is_marked_down(settings: Any) -> None:
    milvus.reset()
    settings.MILVUS_URI = UNREACHABLE_MILVUS
    with pytest.raises(milvus.VectorStoreUnavailableError):
        milvus.count()
    assert not milvus.available()


def test_connection_errors_are_told_apart_from_errors_of_one_call() -> None:
    from pymilvus.exceptions import MilvusException

    refused = MilvusException(code=2, message="Fail connecting to server on 127.0.0.1:9")
    assert milvus._is_connection_error(refused)
    race = MilvusException(code=1, message="current_seq is monotonic; tried to set 1 < 2")
    assert not milvus._is_connection_error(race)
    wrapped = milvus.VectorStoreError("flush failed")
    wrapped.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert milvus._is_connection_error(wrapped)


@pytest.mark.django_db
def test_writes_of_threads_are_serialised() -> None:
    """While one thread holds the write lock, another thread's write waits for it."""
    item = milvus.VectorItem("post", 5, 1, True, np.ones(milvus.DIM, dtype=np.float32))
    milvus.upsert([item])  # connect first
    done = threading.Event()

    def other() -> None:
        milvus.upsert([milvus.VectorItem("post", 6, 1, True, item.vector)])
        done.set()

    with milvus.write_lock():
        thread = threading.Thread(target=other)
        thread.start()
        assert not done.wait(0.5), "a write ran while another thread held the write lock"
    thread.join(10)
    assert done.is_set()
    assert set(milvus.get_vectors([("post", 5), ("post", 6)])) == {("post", 5), ("post", 6)}


# --- 3. items without vectors: counted, swept, repaired ---------------------------------------


@pytest.mark.django_db
def test_items_whose_jobs_never_ran_are_counted_and_swept(
    alice: User, no_sync: None, settings: Any
) -> None:
    visible = _posts(alice, 3)
    _posts(alice, 1, status=Post.Status.DRAFT)
    _posts(alice, 1, hidden_at=timezone.now())
    product = _products(alice, 1)[0]
    settings.SEARCH_INDEX_SYNC = True

    assert services.missing_vector_count() == 4  # drafts and hidden posts need no vector
    result = services.sweep_missing_vectors()
    assert (result.indexed, result.missing) == (4, 0)
    keys = [("post", p.pk) for p in visible] + [("product", product.pk)]
    assert _missing_from_store(keys) == []
    assert milvus.count() == 4
    assert services.missing_vector_count() == 0


@pytest.mark.django_db
def test_an_edit_whose_vector_could_not_be_written_is_missing_again(
    alice: User, settings: Any
) -> None:
    """A synced item edited while the store is down counts as missing (its vector is old)."""
    post = _posts(alice, 1)[0]
    services.index_post(post_id=post.pk)
    assert services.missing_vector_count() == 0
    good = settings.MILVUS_URI
    milvus.reset()
    settings.MILVUS_URI = UNREACHABLE_MILVUS
    Post.objects.filter(pk=post.pk).update(text="an entirely new text")
    services.index_post(post_id=post.pk)
    assert services.missing_vector_count() == 1
    milvus.reset()
    settings.MILVUS_URI = good
    assert services.sweep_missing_vectors().missing == 0


@pytest.mark.django_db(transaction=True)
def test_the_store_coming_back_repairs_the_index_by_itself(
    alice: User, settings: Any, repair_stopped: None
) -> None:
    """No command: the failed job asks for a repair, which sweeps once the store answers."""
    from tangerine.search import sweep

    settings.TASKS_BACKEND = "thread"
    settings.MILVUS_RETRY_SECONDS = 1
    sweep._repairer.first_delay = 0.2
    good = settings.MILVUS_URI
    milvus.reset()
    settings.MILVUS_URI = UNREACHABLE_MILVUS
    posts = _posts(alice, 3)
    for post in posts:
        services.index_post(post_id=post.pk)  # as the job would run: the store is down
    assert services.missing_vector_count() == 3
    assert sweep.repair_running()

    settings.MILVUS_URI = good  # the store is back
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and services.missing_vector_count(repair=False):
        time.sleep(0.2)
    assert services.missing_vector_count(repair=False) == 0
    assert _missing_from_store([("post", p.pk) for p in posts]) == []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sweep.repair_running():
        time.sleep(0.1)
    assert not sweep.repair_running(), "the repair ends once nothing is missing"


@pytest.mark.django_db
def test_index_complete_or_raise_fails_loudly_while_items_lack_vectors(
    alice: User, settings: Any, no_sync: None
) -> None:
    _posts(alice, 2)
    good = settings.MILVUS_URI
    milvus.reset()
    settings.MILVUS_URI = UNREACHABLE_MILVUS
    started = time.monotonic()
    with pytest.raises(services.IndexIncompleteError, match="2 items still have no vector"):
        services.index_complete_or_raise(timeout=1)
    assert time.monotonic() - started < 5
    with pytest.raises(CommandError, match="2 items still have no vector"):
        call_command("reindex", "--missing", "--complete", "--timeout", "1", verbosity=0)

    milvus.reset()
    settings.MILVUS_URI = good
    assert services.index_complete_or_raise(timeout=10) == 2
    assert services.missing_vector_count() == 0


# --- 4. two jobs of one item crossing each other ----------------------------------------------


def _write_as_a_late_job(doc: services._Doc, stamps: dict[tuple[str, int], Any]) -> None:
    """The second half of a job that read ``doc`` earlier: its vector write and its record."""
    vector = services.embeddings.embed_passages([services._embed_text(doc.title, doc.body, [])])[0]
    with milvus.write_lock():
        milvus.write(
            upsert=[milvus.VectorItem(doc.kind, doc.object_id, doc.owner_id, True, vector)]
        )
        services._record_synced([doc], stamps)


@pytest.mark.django_db
def test_a_late_job_with_older_text_leaves_the_item_to_the_sweep(alice: User) -> None:
    post = _posts(alice, 1)[0]
    services.index_post(post_id=post.pk)
    old = services._post_doc(Post.objects.get(pk=post.pk))
    old_stamps = services._pending([old])  # the late job wrote its keywords here...
    Post.objects.filter(pk=post.pk).update(text="rewritten text")
    services.index_post(post_id=post.pk)  # ...then the edit's job ran to the end
    assert services.missing_vector_count() == 0
    _write_as_a_late_job(old, old_stamps)  # ...and the late job's vector lands last
    assert services.missing_vector_count() == 1, "the store holds the old text"
    assert services.sweep_missing_vectors().missing == 0


@pytest.mark.django_db
def test_a_late_job_with_the_same_text_counts_as_written(alice: User) -> None:
    post = _posts(alice, 1)[0]
    services.index_post(post_id=post.pk)
    doc = services._post_doc(Post.objects.get(pk=post.pk))
    stamps = services._pending([doc])
    services.index_post(post_id=post.pk)  # a duplicate job (e.g. reindex) finishes first
    _write_as_a_late_job(doc, stamps)
    assert services.missing_vector_count() == 0


@pytest.mark.django_db
def test_a_late_job_for_an_item_hidden_meanwhile_takes_its_vector_back_out(alice: User) -> None:
    post = _posts(alice, 1)[0]
    services.index_post(post_id=post.pk)
    doc = services._post_doc(Post.objects.get(pk=post.pk))
    stamps = services._pending([doc])
    Post.objects.filter(pk=post.pk).update(hidden_at=timezone.now())
    services.index_post(post_id=post.pk)  # the hide job removes row and vector
    assert milvus.get_vectors([("post", post.pk)]) == {}
    _write_as_a_late_job(doc, stamps)
    assert milvus.get_vectors([("post", post.pk)]) == {}
    assert services.missing_vector_count() == 0


@pytest.mark.django_db
def test_the_count_for_search_is_remembered_and_refreshed_after_vector_writes(
    alice: User, no_sync: None, settings: Any
) -> None:
    """Search asks with ``max_age``: no count on its path but the first, yet never stale long."""
    _posts(alice, 1)
    assert services.missing_vector_count(max_age=60) == 1
    _posts(alice, 1)  # no vector write happened: the remembered count stands
    assert services.missing_vector_count(max_age=60) == 1
    assert services.missing_vector_count() == 2  # exact
    settings.SEARCH_INDEX_SYNC = True
    services.sweep_missing_vectors()
    assert services.missing_vector_count(max_age=60) == 0
    post = _posts(alice, 1)[0]
    services.index_post(post_id=post.pk)  # a write marks the count stale: refreshed
    assert services.missing_vector_count(max_age=60) == 0
    settings.MILVUS_URI = UNREACHABLE_MILVUS
    milvus.reset()
    services.index_post(post_id=post.pk)
    assert services.missing_vector_count(max_age=60) == 1


@pytest.mark.django_db
def test_a_worker_loop_sweeps_on_a_timer(alice: User, no_sync: None, settings: Any) -> None:
    from tangerine.search import sweep

    sweep._last_periodic = None
    _posts(alice, 2)
    settings.SEARCH_INDEX_SYNC = True
    assert sweep.maybe_sweep(interval=3600) == 2
    _posts(alice, 1)
    assert sweep.maybe_sweep(interval=3600) == 0, "not yet time"
    assert sweep.maybe_sweep(interval=0) == 1
    assert services.missing_vector_count() == 0


def _drain_task_pool() -> None:
    """Wait until every job queued on the thread backend's pool has finished."""
    from tangerine.core import tasks

    pool = tasks._thread_pool()
    workers = pool._max_workers
    barrier = threading.Barrier(workers)  # every worker must be free to reach it
    for future in [pool.submit(barrier.wait, 30) for _ in range(workers)]:
        future.result(60)


@pytest.mark.django_db(transaction=True)
def test_task_threads_and_a_reindex_command_at_once_as_when_seeding(
    alice: User, bob: User, settings: Any, repair_stopped: None
) -> None:
    """The issue's reproduction: the thread backend's task threads index new items while
    ``manage.py reindex`` runs in the same process; no repair must be needed afterwards."""
    from tangerine.search import sweep

    settings.TASKS_BACKEND = "thread"
    posts = _posts(alice, 24)
    products = _products(bob, 8)
    for post in posts:
        services.post_changed(post_id=post.pk)  # after commit: on the task pool at once
    for product in products:
        services.product_changed(product_id=product.pk)
    call_command("reindex", "--batch-size", "8", verbosity=0)
    _drain_task_pool()

    keys = [("post", p.pk) for p in posts] + [("product", p.pk) for p in products]
    assert milvus.available()
    assert _missing_from_store(keys) == []
    assert services.missing_vector_count(repair=False) == 0
    assert not sweep.repair_running(), "nothing failed, so nothing needed repair"
    services.index_complete_or_raise(timeout=5)
