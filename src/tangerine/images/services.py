"""Writes for images: upload grants, completion, processing results and file deletion."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ForeignObjectRel, Model
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied, ValidationError

from tangerine.images.exceptions import UploadError
from tangerine.images.models import Image
from tangerine.images.selectors import images_for_attach
from tangerine.integrations.storage import image_storage

logger = logging.getLogger(__name__)

# Exactly these may be uploaded. Never SVG (it is a script container); HEIC is not converted.
ALLOWED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
FILENAME_MAX_LENGTH = 255


@dataclass(frozen=True)
class UploadGrant:
    image: Image
    url: str
    fields: dict[str, str]
    expires_at: datetime


def image_upload_grant(*, owner: Any, filename: str, content_type: str, size: int) -> UploadGrant:
    """Create a pending image and a presigned-POST grant for its upload.

    The key is ours (``uploads/<owner uuid>/<image uuid>``); ``filename`` is only checked for a
    sane length and never stored. The grant allows exactly ``content_type`` and 1 byte up to
    ``IMAGE_MAX_UPLOAD_BYTES`` (not merely the declared ``size``, which clients estimate), and
    expires after ``IMAGE_GRANT_SECONDS``. The caller rate-limits.
    """
    errors: dict[str, list[str]] = {}
    if content_type not in ALLOWED_CONTENT_TYPES:
        errors["content_type"] = [
            f"Only {', '.join(ALLOWED_CONTENT_TYPES)} images may be uploaded."
        ]
    if size < 1 or size > settings.IMAGE_MAX_UPLOAD_BYTES:
        errors["size"] = [f"An image must be 1 to {settings.IMAGE_MAX_UPLOAD_BYTES} bytes."]
    if not filename.strip() or len(filename) > FILENAME_MAX_LENGTH:
        errors["filename"] = [f"A file name of 1 to {FILENAME_MAX_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)

    image_uuid = uuid_lib.uuid4()
    key = f"uploads/{owner.uuid}/{image_uuid}"
    expires_at = timezone.now() + timedelta(seconds=settings.IMAGE_GRANT_SECONDS)
    image = Image.objects.create(
        uuid=image_uuid, owner=owner, content_type=content_type, size=size, key=key
    )
    grant = image_storage().grant(
        key=key,
        content_type=content_type,
        max_bytes=settings.IMAGE_MAX_UPLOAD_BYTES,
        expires_at=expires_at,
    )
    return UploadGrant(image=image, url=grant.url, fields=grant.fields, expires_at=expires_at)


def image_complete(*, user: Any, image: Image) -> Image:
    """The owner says the upload is done: queue processing once (idempotent afterwards).

    Raises 403 for someone else's image (the image itself is public, so hiding it would not
    hide anything) and a 409 ``upload_missing`` while nothing was stored under the key, leaving
    the image pending so the client can upload and complete again.
    """
    from tangerine.images.tasks import image_process

    if image.owner_id != user.pk:
        raise PermissionDenied("Only the uploader may complete this image.")
    if image.status != Image.Status.PENDING:
        return image
    if image_storage().original_size(key=image.key) is None:
        raise UploadError(
            "Nothing was uploaded for this image yet.", code="upload_missing", status=409
        )
    with transaction.atomic():
        updated = Image.objects.filter(pk=image.pk, status=Image.Status.PENDING).update(
            status=Image.Status.PROCESSING, updated_at=timezone.now()
        )
        if updated:
            image_process.enqueue(image_id=image.pk)
    image.refresh_from_db()
    return image


def _variant_keys(image: Image) -> list[str]:
    return [variant["key"] for variant in image.variants if variant.get("key")]


def _files_delete_now(*, originals: list[str], variants: list[str]) -> None:
    storage = image_storage()
    for key in originals:
        try:
            storage.original_delete(key=key)
        except Exception:  # a missing file must not stop the rest
            logger.exception("Could not delete original %s", key)
    for key in variants:
        try:
            storage.variant_delete(key=key)
        except Exception:
            logger.exception("Could not delete variant %s", key)


def image_files_delete(*, images: Iterable[Image]) -> None:
    """Delete the stored files (original and variants) of ``images`` once the transaction commits.

    The keys are read now, so this may be called right before the rows go (e.g. before
    ``user.delete()`` cascades to the user's images); the files go only if the deletion commits.
    Rows are not touched.
    """
    originals: list[str] = []
    variants: list[str] = []
    for image in images:
        originals.append(image.key)
        variants.extend(_variant_keys(image))
    if originals or variants:
        transaction.on_commit(
            lambda: _files_delete_now(originals=originals, variants=variants), robust=True
        )


def _attachment_filters() -> list[tuple[Any, str]]:
    """(model, field name) of every foreign key to Image in the project (posts, products, users).

    Found through the model registry, so a new kind of attachment is covered without this app
    importing the others.
    """
    return [
        (relation.related_model, relation.field.name)
        for relation in Image._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and relation.auto_created
        and not relation.concrete
        and relation.related_model
    ]


def images_attach(
    *,
    owner: Any,
    parent: Model,
    link_model: type[Model],
    parent_field: str,
    uuids: Sequence[Any],
    max_count: int,
    created: bool = False,
    field: str = "images",
) -> list[Image]:
    """The one way content attaches images (posts, products): ``parent``'s images become
    ``uuids``, in that order.

    Validates like ``images_for_attach`` (the owner's own, not failed, at most ``max_count``:
    else a ``field`` error), replaces the ``link_model`` rows (``parent_field``, ``image``,
    ``position``) and releases the images ``parent`` no longer uses (rows now, files after
    commit) unless something else still uses them. ``created``: ``parent`` is new and has no
    links yet (saves two queries). Call inside the parent's transaction.
    """
    attached = images_for_attach(owner=owner, uuids=uuids, max_count=max_count, field=field)
    links = link_model._default_manager.filter(**{parent_field: parent})
    previous: set[int] = set()
    if not created:
        previous = set(links.values_list("image_id", flat=True))
        links.delete()
    link_model._default_manager.bulk_create(
        [
            link_model(**{parent_field: parent, "image": image, "position": position})
            for position, image in enumerate(attached)
        ]
    )
    dropped = previous - {image.pk for image in attached}
    if dropped:
        images_delete_unattached(image_ids=sorted(dropped))
    return attached


@transaction.atomic
def images_delete_unattached(*, image_ids: list[int]) -> int:
    """Delete those of ``image_ids`` that nothing (post, product, profile) uses any more, with
    their files after commit. Returns how many were deleted.
    """
    candidates = Image.objects.filter(pk__in=image_ids)
    for model, field in _attachment_filters():
        used = model._default_manager.filter(**{f"{field}__in": image_ids}).values(field)
        candidates = candidates.exclude(pk__in=used)
    doomed = list(candidates)
    if not doomed:
        return 0
    image_files_delete(images=doomed)
    Image.objects.filter(pk__in=[image.pk for image in doomed]).delete()
    return len(doomed)


def images_delete_for_user(*, user: Any) -> None:
    """Delete the files of all of a user's images after commit (the rows go by cascade)."""
    image_files_delete(images=Image.objects.filter(owner=user).only("key", "variants"))


def image_mark_failed(*, image_id: int, code: str, message: str) -> None:
    Image.objects.filter(pk=image_id).update(
        status=Image.Status.FAILED, error=message[:255], updated_at=timezone.now()
    )
    logger.info("Image %s failed: %s (%s)", image_id, code, message)


# --- stuck and orphaned images ----------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    retried: int  # "processing" images whose job died, queued again
    failed: int  # "processing" images past IMAGE_PROCESSING_GIVE_UP_SECONDS, marked failed
    deleted: int  # images never completed or never attached, deleted with their files
    hashed: int = 0  # ready images processed before perceptual hashes, hashed now


def _stale_processing_cutoff(now: datetime) -> datetime:
    from tangerine.core.tasks import STALE_MARGIN_SECONDS
    from tangerine.images.tasks import image_process

    return now - timedelta(seconds=image_process.timeout + STALE_MARGIN_SECONDS)


def images_recover_stuck(*, now: datetime | None = None, batch: int = 200) -> tuple[int, int]:
    """Images left "processing" by a job that died (a restart of the thread backend, a killed
    worker): queued again, or failed once ``IMAGE_PROCESSING_GIVE_UP_SECONDS`` have passed since
    the upload. An image counts as stuck when its last change is older than the job's time limit
    plus a margin and no run of its job is queued or running. Returns (retried, failed).
    """
    from tangerine.images.tasks import image_process

    now = now or timezone.now()
    give_up = now - timedelta(seconds=settings.IMAGE_PROCESSING_GIVE_UP_SECONDS)
    stuck = Image.objects.filter(
        status=Image.Status.PROCESSING, updated_at__lt=_stale_processing_cutoff(now)
    ).order_by("id")[:batch]
    retried = failed = 0
    for image in stuck:
        if image.created_at < give_up:
            with transaction.atomic():
                changed = Image.objects.filter(pk=image.pk, status=Image.Status.PROCESSING).update(
                    status=Image.Status.FAILED,
                    error="The image could not be processed. Please upload it again.",
                    updated_at=now,
                )
                if changed:
                    image_files_delete(images=[image])
            failed += changed
            continue
        if image_process.is_pending(image_id=image.pk):
            continue  # waiting its turn behind other jobs
        with transaction.atomic():
            changed = Image.objects.filter(pk=image.pk, status=Image.Status.PROCESSING).update(
                updated_at=now
            )
            if changed:
                image_process.enqueue(image_id=image.pk)
        retried += changed
    if retried or failed:
        logger.warning("Stuck images: %d queued again, %d failed", retried, failed)
    return retried, failed


def images_delete_orphaned(*, now: datetime | None = None, batch: int = 500) -> int:
    """Delete images older than ``IMAGE_ORPHAN_GRACE_SECONDS`` that were never completed
    (``pending``: the upload was abandoned) or that nothing uses (``ready``/``failed`` and not
    attached to a post, product or profile), rows now and files after commit. ``processing``
    images are left to ``images_recover_stuck``. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IMAGE_ORPHAN_GRACE_SECONDS)
    candidates = list(
        Image.objects.filter(created_at__lt=cutoff)
        .exclude(status=Image.Status.PROCESSING)
        .order_by("id")
        .values_list("pk", flat=True)[:batch]
    )
    if not candidates:
        return 0
    deleted = images_delete_unattached(image_ids=candidates)
    if deleted:
        logger.info("Deleted %d orphaned image(s)", deleted)
    return deleted


def images_hash_missing(*, batch: int = 200) -> int:
    """Compute the perceptual hash of ready images that have none (processed before hashes
    existed), from their stored narrowest JPEG variant, as processing does. Each one hashed is
    announced (``image_hashed``) so copied-photo detection sees it. Images whose variant cannot
    be read or decoded are skipped (logged) and tried again next time. Returns how many."""
    from tangerine.images import hooks, phash

    storage = image_storage()
    pending = Image.objects.filter(status=Image.Status.READY, phash__isnull=True).order_by("id")
    hashed = 0
    for image in pending.only("id", "variants")[:batch]:
        source = phash.hash_source(image.variants or [])
        value = None
        if source is not None:
            try:
                value = phash.dhash(storage.variant_read(key=str(source["key"])))
            except Exception:
                logger.exception("Could not read variant %s to hash it", source["key"])
        if value is None:
            continue
        if Image.objects.filter(pk=image.pk, phash__isnull=True).update(phash=value):
            hashed += 1
            hooks.image_hashed.send(hooks.ImageHashed(image_id=image.pk))
    if hashed:
        logger.info("Hashed %d image(s) processed before perceptual hashes", hashed)
    return hashed


def images_sweep(*, now: datetime | None = None) -> SweepResult:
    """The repairs above and the hash backfill; run periodically by the worker or the thread
    backend, and by ``manage.py images_sweep``."""
    retried, failed = images_recover_stuck(now=now)
    deleted = images_delete_orphaned(now=now)
    hashed = images_hash_missing()
    return SweepResult(retried=retried, failed=failed, deleted=deleted, hashed=hashed)
