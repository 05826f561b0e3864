"""Images a dead job left "processing", uploads never completed or never used: the sweep."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core import tasks
from tangerine.core.models_jobs import Job
from tangerine.images.models import Image
from tangerine.posts.models import PostImage
from tests.factories import make_post
from tests.images import imagegen
from tests.support.images import grant_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(django_capture_on_commit_callbacks: Any) -> Callable[[], None]:
    """``manage.py images_sweep``, with the after-commit file deletions it schedules."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("images_sweep")

    return run


def _uploaded_not_completed(client: APIClient, data: bytes) -> Image:
    grant = grant_for(client, data)
    assert upload(grant, data).status_code == 204
    return Image.objects.get(uuid=grant["uuid"])


def _age(image: Image, *, created: float, updated: float | None = None) -> None:
    """Move the image's timestamps ``created``/``updated`` seconds into the past."""
    now = timezone.now()
    Image.objects.filter(pk=image.pk).update(
        created_at=now - timedelta(seconds=created),
        updated_at=now - timedelta(seconds=created if updated is None else updated),
    )


def _stuck(client: APIClient, *, age: float) -> Image:
    """An image whose job died mid-way: completed (processing), its upload still stored."""
    image = _uploaded_not_completed(client, imagegen.jpeg(640, 480))
    Image.objects.filter(pk=image.pk).update(status=Image.Status.PROCESSING)
    _age(image, created=age)
    return image


def test_an_image_left_processing_by_a_dead_job_is_processed_again(
    as_user: Callable[[User], APIClient],
    alice: User,
    settings: Any,
    sweep: Callable[[], None],
) -> None:
    image = _stuck(as_user(alice), age=600)
    fresh = _stuck(as_user(alice), age=1)  # its job may still be running: left alone
    sweep()
    image.refresh_from_db()
    fresh.refresh_from_db()
    assert image.status == Image.Status.READY
    assert {v["width"] for v in image.variants} == {640, 320}
    assert not Path(settings.IMAGE_PRIVATE_ROOT, image.key).exists()
    assert fresh.status == Image.Status.PROCESSING


def test_an_image_stuck_past_the_give_up_time_fails_and_loses_its_upload(
    as_user: Callable[[User], APIClient],
    alice: User,
    settings: Any,
    sweep: Callable[[], None],
) -> None:
    image = _stuck(as_user(alice), age=settings.IMAGE_PROCESSING_GIVE_UP_SECONDS + 60)
    sweep()
    image.refresh_from_db()
    assert image.status == Image.Status.FAILED
    assert image.error
    assert not Path(settings.IMAGE_PRIVATE_ROOT, image.key).exists()


def test_the_worker_loop_recovers_stuck_images_on_the_database_backend(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.TASKS_BACKEND = "database"
    image = _stuck(as_user(alice), age=600)
    for entry in tasks._periodics.values():
        entry.last = None  # as a worker that just started
    tasks.run_pending_jobs()  # the periodic sweep queues the job, the same loop runs it
    image.refresh_from_db()
    assert image.status == Image.Status.READY
    assert Job.objects.get().status == Job.Status.DONE
    # a second sweep while nothing is stuck queues nothing
    tasks.run_due_periodic(force=True)
    assert Job.objects.count() == 1


def test_a_stuck_image_whose_job_is_only_waiting_is_not_queued_twice(
    as_user: Callable[[User], APIClient],
    alice: User,
    settings: Any,
    sweep: Callable[[], None],
) -> None:
    settings.TASKS_BACKEND = "database"
    image = _stuck(as_user(alice), age=600)
    Job.objects.create(name="tangerine.images.tasks.image_process", kwargs={"image_id": image.pk})
    sweep()
    assert Job.objects.count() == 1


def test_orphans_are_deleted_after_the_grace_period_with_their_files(
    as_user: Callable[[User], APIClient],
    uploaded: Callable[..., dict[str, Any]],
    alice: User,
    settings: Any,
    sweep: Callable[[], None],
) -> None:
    client = as_user(alice)
    grace = settings.IMAGE_ORPHAN_GRACE_SECONDS
    old = grace + 60
    abandoned = _uploaded_not_completed(client, imagegen.jpeg(300, 200))  # never completed
    never_uploaded = Image.objects.get(uuid=grant_for(client, b"x" * 100)["uuid"])
    unused = Image.objects.get(uuid=uploaded(alice, imagegen.jpeg(400, 300))["uuid"])
    in_post = Image.objects.get(uuid=uploaded(alice, imagegen.jpeg(400, 300))["uuid"])
    PostImage.objects.create(post=make_post(alice), image=in_post, position=0)
    avatar = Image.objects.get(uuid=uploaded(alice, imagegen.jpeg(400, 300))["uuid"])
    User.objects.filter(pk=alice.pk).update(profile_image=avatar)
    recent = _uploaded_not_completed(client, imagegen.jpeg(300, 200))
    for image in (abandoned, never_uploaded, unused, in_post, avatar):
        _age(image, created=old)
    _age(recent, created=grace - 600)
    unused_files = [Path(settings.MEDIA_ROOT, v["key"]) for v in unused.variants]
    assert Path(settings.IMAGE_PRIVATE_ROOT, abandoned.key).exists()
    assert unused_files and all(path.exists() for path in unused_files)

    sweep()

    left = set(Image.objects.values_list("pk", flat=True))
    assert left == {in_post.pk, avatar.pk, recent.pk}
    assert not Path(settings.IMAGE_PRIVATE_ROOT, abandoned.key).exists()
    assert not any(path.exists() for path in unused_files)
    assert Path(settings.IMAGE_PRIVATE_ROOT, recent.key).exists()
    assert all(Path(settings.MEDIA_ROOT, v["key"]).exists() for v in in_post.variants)
