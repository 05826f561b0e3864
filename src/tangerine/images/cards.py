"""An item's images (a post's, a product's) as a JSON card column of the item's own row
(``core.cardsql``): one subquery instead of a prefetch query per page, read back as
``CardImage`` values that ``images.serializers.image_ref`` renders like ``Image`` rows."""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Expression

from tangerine.core.cardsql import OUTER, CardColumn, column, json_rows, json_rows_sql, table
from tangerine.images.models import Image


@dataclass(frozen=True, slots=True)
class CardImage:
    """What ``images.serializers.image_ref`` reads of an ``Image``."""

    uuid: uuid.UUID
    status: str
    width: int | None
    height: int | None
    variants: list[dict[str, Any]]


def image_columns(alias: str) -> dict[str, str]:
    """The ``Image`` columns a card reads (``CardImage``'s fields), of the row ``alias``."""
    return {f: column(alias, Image, f) for f in ("uuid", "status", "width", "height", "variants")}


@functools.lru_cache(maxsize=8)
def _images_sql(vendor: str, label: str, item: str) -> str:
    """The images of the outer item through the model ``label`` (its ``item`` foreign key and
    ``image``), by ``position`` then ``id``."""
    through = apps.get_model(label)
    return json_rows_sql(
        vendor,
        image_columns("i"),
        f"{table(through, 'ti')} INNER JOIN {table(Image, 'i')} ON "
        f"{column('i', Image, 'id')} = {column('ti', through, 'image')}",
        f"{column('ti', through, item)} = {OUTER}",
        f"{column('ti', through, 'position')}, {column('ti', through, 'id')}",
    )


def images_column(through: type[Any], item: str, using: str) -> Expression:
    """``annotate(card_images=images_column(PostImage, "post", qs.db))``: the item's images
    (``through`` rows with ``position``) as JSON, read with ``card_images``."""
    sql = _images_sql(connections[using].vendor, through._meta.label, item)
    return CardColumn(sql, ())


def _variants(value: Any) -> list[dict[str, Any]]:
    # An image's variants are a JSON column of their own: nested JSON, or its text (SQLite).
    return list(json.loads(value) if isinstance(value, str) else value or [])


def card_image(uuid_: Any, status: Any, width: Any, height: Any, variants: Any) -> CardImage:
    """One image of a card column, from the values of ``image_columns``."""
    return CardImage(uuid.UUID(str(uuid_)), str(status), width, height, _variants(variants))


def card_images(value: Any) -> list[CardImage]:
    """The images of a ``images_column`` value, in order."""
    return [card_image(*row) for row in json_rows(value)]
