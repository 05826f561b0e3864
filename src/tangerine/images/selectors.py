"""Reads for images: lookups by uuid and the checks other apps make before attaching images."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from tangerine.images.models import Image


def parse_uuid(value: Any) -> uuid_lib.UUID:
    """A uuid from a URL; a malformed one is 404 like an unknown one."""
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def image_get(*, uuid: Any) -> Image:
    """Any image by uuid (status and variants are public; uuids are unguessable), or 404."""
    image = Image.objects.filter(uuid=parse_uuid(uuid)).first()
    if image is None:
        raise Http404
    return image


def images_for_attach(
    *, owner: Any, uuids: Sequence[Any], max_count: int, field: str = "images"
) -> list[Image]:
    """The owner's own, not failed images with these uuids, in the given order.

    Duplicates are dropped. Raises a ``field`` validation error for more than ``max_count``
    images, an unknown image, another user's image (the same message: no probing) or a failed one.
    One query.
    """
    try:
        ordered = list(dict.fromkeys(str(uuid_lib.UUID(str(u))) for u in uuids))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({field: ["Each image must be an image uuid."]}) from None
    if len(ordered) > max_count:
        raise ValidationError({field: [f"At most {max_count} images."]})
    if not ordered:
        return []
    found = {str(img.uuid): img for img in Image.objects.filter(uuid__in=ordered, owner=owner)}
    missing = [u for u in ordered if u not in found]
    if missing:
        raise ValidationError({field: [f"No such image of yours: {missing[0]}."]})
    failed = [u for u in ordered if found[u].status == Image.Status.FAILED]
    if failed:
        raise ValidationError({field: [f"This image could not be processed: {failed[0]}."]})
    return [found[u] for u in ordered]
