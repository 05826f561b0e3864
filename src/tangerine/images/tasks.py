"""The background job that validates an upload and writes its variants."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils import timezone

from tangerine.core import metrics
from tangerine.core.tasks import periodic, task
from tangerine.images import hooks, phash
from tangerine.images.models import Image
from tangerine.images.services import SweepResult, image_mark_failed, images_sweep
from tangerine.integrations import imaging
from tangerine.integrations.storage import image_storage

logger = logging.getLogger(__name__)


def _variant_key(image: Image, variant: imaging.Variant) -> str:
    # A new key per variant, never the upload's: the original is never served.
    return f"images/{image.uuid}/{variant.width}w.{variant.extension}"


def _image_timed_out(*, image_id: int) -> None:
    image_mark_failed(
        image_id=image_id,
        code="timeout",
        message="Processing the image took too long. Please upload a smaller or simpler image.",
    )


@task(on_timeout=_image_timed_out)
def image_process(*, image_id: int) -> None:
    """Validate the stored upload of image ``image_id`` and produce its variants.

    Any refusal ends as ``status=failed`` with a reason; nothing is raised for bad input, so a
    bad file never crashes the worker nor is retried. The original is deleted afterwards in
    every case (on success its pixels live on in the variants only). Past the job's time limit
    (``TASKS_JOB_TIMEOUT``) the image fails as ``timeout``; a result that arrives after that is
    discarded, so a failed image never turns ready behind the user's back.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or image.status not in {Image.Status.PENDING, Image.Status.PROCESSING}:
        return  # deleted meanwhile, or already done by an earlier run
    storage = image_storage()
    started, outcome = time.perf_counter(), "failed"
    try:
        size = storage.original_size(key=image.key)
        if size is None:
            raise imaging.ImageRejectedError(
                "upload_missing", "Nothing was uploaded for this image."
            )
        if size < 1 or size > settings.IMAGE_MAX_UPLOAD_BYTES:
            # S3 clones may ignore the policy's content-length-range: check what was stored.
            limit = settings.IMAGE_MAX_UPLOAD_BYTES
            raise imaging.ImageRejectedError(
                "too_large", f"The upload is {size} bytes; at most {limit} are allowed."
            )
        # The grant stays valid after "complete": an S3 clone that ignores the policy's
        # content-length-range may take a bigger object under the same key between the size
        # check above and this read, so the read itself is capped too.
        data = storage.original_read(key=image.key, max_bytes=settings.IMAGE_MAX_UPLOAD_BYTES)
        if len(data) > settings.IMAGE_MAX_UPLOAD_BYTES:
            limit = settings.IMAGE_MAX_UPLOAD_BYTES
            raise imaging.ImageRejectedError(
                "too_large", f"The upload is larger than {limit} bytes."
            )
        result = imaging.process(data, max_pixels=settings.IMAGE_MAX_PIXELS)
        variants = []
        jpegs = [v for v in result.variants if v.format == "jpeg"]
        # From our own narrowest JPEG, as the backfill does (images/phash.py).
        perceptual = phash.dhash(min(jpegs, key=lambda v: v.width).data) if jpegs else None
        for variant in result.variants:
            key = _variant_key(image, variant)
            storage.variant_save(key=key, data=variant.data)
            variants.append(
                {
                    "key": key,
                    "width": variant.width,
                    "height": variant.height,
                    "format": variant.format,
                }
            )
    except imaging.ImageRejectedError as exc:
        image_mark_failed(image_id=image.pk, code=exc.code, message=exc.message)
    except Exception:
        logger.exception("Processing image %s failed unexpectedly", image.pk)
        image_mark_failed(
            image_id=image.pk,
            code="processing_error",
            message="The image could not be processed. Please upload it again.",
        )
    else:
        stored = Image.objects.filter(
            pk=image.pk, status__in=[Image.Status.PENDING, Image.Status.PROCESSING]
        ).update(
            status=Image.Status.READY,
            width=result.width,
            height=result.height,
            size=size,
            variants=variants,
            phash=perceptual,
            error="",
            updated_at=timezone.now(),
        )
        if stored:
            outcome = "ready"
        if stored and perceptual is not None:
            hooks.image_hashed.send(hooks.ImageHashed(image_id=image.pk))
        if not stored:  # failed (timed out) or deleted meanwhile: drop the late variants
            for late in variants:
                try:
                    storage.variant_delete(key=str(late["key"]))
                except Exception:
                    logger.exception("Could not delete late variant %s", late["key"])
    finally:
        metrics.image_processing_seconds.labels(outcome).observe(time.perf_counter() - started)
        try:
            storage.original_delete(key=image.key)
        except Exception:
            logger.exception("Could not delete the original of image %s", image.pk)


@periodic(every=settings.IMAGE_SWEEP_SECONDS)
def image_sweep() -> SweepResult:
    """Stuck and orphaned images (images/services.py ``images_sweep``), run periodically."""
    return images_sweep()
