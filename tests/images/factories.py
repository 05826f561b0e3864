from __future__ import annotations

import uuid

import factory

from tangerine.images.models import Image
from tests.factories import UserFactory


class ImageFactory(factory.django.DjangoModelFactory[Image]):
    """A processed image row (its variant files are not written: enough for attaching)."""

    class Meta:
        model = Image

    uuid = factory.LazyFunction(uuid.uuid4)
    owner = factory.SubFactory(UserFactory)
    status = Image.Status.READY
    content_type = "image/jpeg"
    size = 12345
    key = factory.LazyAttribute(lambda o: f"uploads/{o.owner.uuid}/{o.uuid}")
    width = 1600
    height = 1200
    variants = factory.LazyAttribute(
        lambda o: [
            {"key": f"images/{o.uuid}/1080w.jpg", "width": 1080, "height": 810, "format": "jpeg"},
            {"key": f"images/{o.uuid}/320w.jpg", "width": 320, "height": 240, "format": "jpeg"},
        ]
    )
