"""``manage.py seed_demo``: the first ``make run`` shows a community a newcomer believes.

One seed per module (it draws and processes about a hundred pictures): the whole command runs
once, then each test reads what it made. Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count

from tangerine.accounts.demo import DEMO_PASSWORD
from tangerine.accounts.models import User
from tangerine.chats.models import Message, Room
from tangerine.images import demo_art, phash
from tangerine.images.models import Image
from tangerine.integrations import embeddings, milvus
from tangerine.notifications.models import Notification
from tangerine.posts.models import Comment, Post, Reply
from tangerine.products.linkcheck import products_due
from tangerine.products.models import Product
from tangerine.reports import photos
from tangerine.reports.models import Reason, Report, Status
from tangerine.search import services as search

TABLES: list[Any] = [User, Post, Comment, Reply, Product, Image, Room, Message, Report]


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Seed once for the module (committed), remove it all afterwards."""
    from django.conf import settings

    folder: Path = tmp_path_factory.mktemp("demo")
    saved = {
        name: getattr(settings, name)
        for name in ("MEDIA_ROOT", "IMAGE_PRIVATE_ROOT", "MILVUS_URI", "EMBEDDING_BACKEND")
    }
    settings.MEDIA_ROOT = folder / "media"
    settings.IMAGE_PRIVATE_ROOT = folder / "private"
    settings.MILVUS_URI = str(folder / "milvus.db")
    settings.EMBEDDING_BACKEND = "hash"
    milvus.reset()
    embeddings.clear_query_cache()
    out = io.StringIO()
    with django_db_blocker.unblock():
        before = _last_ids()
        try:
            call_command("seed_demo", "--if-empty", stdout=out)
            yield out.getvalue()
        finally:
            _remove_rows_after(before)
            milvus.reset()
            for name, value in saved.items():
                setattr(settings, name, value)


def _last_ids() -> dict[Any, int]:
    """The highest integer key of every table with one (0 when empty)."""
    last: dict[Any, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}:
            newest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
            last[model] = int(newest or 0)
    return last


def _remove_rows_after(before: dict[Any, int]) -> None:
    """Committed rows outlive the test transactions: delete every row the seed added (rows from
    migrations, such as search synonyms, stay). Plain SQL in one transaction: foreign keys are
    checked at commit (deferred on both databases), and the append-only audit log refuses the
    ORM's deletes."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, last in before.items():
            table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} > %s", [last])  # noqa: S608


# The module's seed (about a minute of CPU) runs in its first test's setup.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]


def test_posts_are_distinct_and_every_post_has_processed_photos(seeded: str) -> None:
    posts = list(Post.objects.prefetch_related("images"))
    assert 30 <= len(posts) <= 45
    texts = [post.text for post in posts]
    assert len(set(texts)) == len(texts), "no copies"
    titles = [post.title for post in posts if post.title]
    assert len(set(titles)) == len(titles)
    assert not any("(2)" in t or "lorem" in t.lower() for t in texts + titles)
    assert sum(any("\uac00" <= c <= "\ud7a3" for c in t) for t in texts) > len(texts) / 2
    assert any(t.isascii() for t in texts), "some posts in English"
    assert Post.objects.filter(mentions__isnull=False).distinct().count() >= 3
    for post in posts:
        images = list(post.images.all())
        assert 1 <= len(images) <= 3, post.title
        for image in images:
            assert image.status == Image.Status.READY
            formats = {variant["format"] for variant in image.variants}
            assert formats == {"jpeg", "webp"}
            assert image.phash is not None
    assert Comment.objects.count() >= 40 and Reply.objects.count() >= 15
    for post in Post.objects.all():
        replies = Reply.objects.filter(comment__post=post).count()
        assert post.like_count == post.likes.count()
        assert post.comment_count == post.comments.count() + replies


def test_products_have_photos_across_categories_statuses_and_currencies(seeded: str) -> None:
    products = list(Product.objects.prefetch_related("images"))
    assert 15 <= len(products) <= 25
    assert len({p.name for p in products}) == len(products)
    assert len({p.category for p in products}) >= 6
    assert {p.status for p in products} == {"on_sale", "reserved", "sold_out"}
    assert len({p.currency for p in products}) >= 2
    for product in products:
        assert product.images.exists(), product.name
        assert all(image.status == Image.Status.READY for image in product.images.all())
        assert product.link.startswith("https://") and ".example." in product.link
    assert Product.objects.filter(save_count__gt=0).count() >= 5


def test_no_demo_photo_looks_copied(seeded: str) -> None:
    hashes = [h for h in Image.objects.values_list("phash", flat=True) if h is not None]
    assert len(hashes) >= 80
    closest = min(phash.distance(a, b) for a, b in itertools.combinations(hashes, 2))
    assert closest > photos.MAX_DISTANCE
    assert not Report.objects.filter(reason=Reason.COPIED_PHOTO).exists()
    for product in Product.objects.all():
        assert photos.copied_photos_check(product_id=product.pk) is None


def test_people_chats_reports_and_notifications(seeded: str) -> None:
    jeju = User.objects.get(handle="jeju_gyul")
    assert jeju.check_password(DEMO_PASSWORD)
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.exclude(profile_image=None).count() >= 8
    assert (
        User.objects.exclude(profile_image__status=Image.Status.READY)
        .filter(profile_image__isnull=False)
        .count()
        == 0
    )

    rooms = Room.objects.annotate(n=Count("messages"))
    assert rooms.count() >= 5
    assert all(room.n >= 2 for room in rooms)
    assert Room.objects.filter(product__isnull=False).count() >= 2
    assert Room.objects.exclude(name="").count() >= 2
    assert Message.objects.filter(image__isnull=False).exists()

    statuses = set(Report.objects.values_list("status", flat=True))
    assert {Status.PENDING, Status.RESOLVED} <= statuses
    assert Report.objects.count() >= 4

    unread = Notification.objects.filter(recipient=jeju, read_at__isnull=True)
    assert unread.exists() and Notification.objects.filter(recipient=jeju).count() > 3
    twice = (
        Notification.objects.filter(kind__in=["comment", "reply", "mention"])
        .values("recipient", "kind", "target_uuid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(twice) == []
    assert not Notification.objects.filter(kind="store_link").exists()
    assert products_due(limit=50) == [], "no store-link sweep right after the seed"


def test_search_index_is_complete(seeded: str) -> None:
    assert "Search index complete." in seeded
    assert search.missing_vector_count(repair=False) == 0


def test_seeding_again_with_if_empty_adds_nothing(seeded: str) -> None:
    before = [model.objects.count() for model in TABLES]
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert [model.objects.count() for model in TABLES] == before


def test_demo_pictures_differ_and_draw_quickly() -> None:
    art = demo_art.DemoArt(random.Random(3))
    pictures = [art.picture(kind, height=540) for kind in demo_art.SUBJECTS]
    assert len(set(pictures)) == len(pictures)
    assert all(p.startswith(b"\xff\xd8") for p in pictures)
    gaps = [phash.distance(a, b) for a, b in itertools.combinations(art.hashes, 2)]
    assert min(gaps) > photos.MAX_DISTANCE
