"""A notification's shown actors as a JSON card column of its own row (``core.cardsql``).

The list shows the newest ``SHOWN_ACTORS`` actors the recipient may see, with their profile
images. They were a prefetch: a sliced ``Prefetch`` (a window query) built and compiled per
page, and three model instances per actor (the row, the user, the image), about half of a
notification page's CPU (issue 17). The column is one correlated subquery per notification
over the ``(notification, -created_at, -id)`` index, with the same rules as
``selectors.visible_actor_rows``: no block either way, not muted by the recipient, the account
active and not suspended. ``tests/notifications/test_actor_column.py`` holds the two equal.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Expression

from tangerine.accounts.models import Mute, User
from tangerine.accounts.visibility import active_user_sql, no_block_sql
from tangerine.core.cardsql import OUTER, CardColumn, column, json_rows, json_rows_sql, table
from tangerine.images.cards import CardImage, card_image, image_columns
from tangerine.images.models import Image
from tangerine.notifications.models import NotificationActor

# How many of a group's actors the list carries (avatars); the count covers all of them.
SHOWN_ACTORS = 3


@dataclass(frozen=True, slots=True)
class CardActor:
    """What ``accounts.serializers.user_brief`` reads of a ``User``."""

    handle: str
    display_name: str
    profile_image: CardImage | None

    @property
    def profile_image_id(self) -> uuid.UUID | None:
        return None if self.profile_image is None else self.profile_image.uuid


@functools.lru_cache(maxsize=4)
def _actors_sql(vendor: str) -> str:
    """The newest visible actors of the outer notification; the recipient's id is the
    parameter of the block (twice) and the mute."""
    actor = column("na", NotificationActor, "actor")
    fields = {
        "handle": column("u", User, "handle"),
        "display_name": column("u", User, "display_name"),
        **image_columns("i"),
    }
    mutes = (
        f"SELECT 1 FROM {table(Mute, 'm')} WHERE {column('m', Mute, 'muter')} = %s "  # noqa: S608
        f"AND {column('m', Mute, 'muted')} = {actor}"
    )
    source = (
        f"{table(NotificationActor, 'na')} "
        f"INNER JOIN {table(User, 'u')} ON {column('u', User, 'id')} = {actor} "
        f"LEFT OUTER JOIN {table(Image, 'i')} "
        f"ON {column('i', Image, 'id')} = {column('u', User, 'profile_image')}"
    )
    where = (
        f"{column('na', NotificationActor, 'notification')} = {OUTER} "
        f"AND {active_user_sql(vendor, 'u')} AND {no_block_sql(actor)} AND NOT EXISTS ({mutes})"
    )
    order = (
        f"{column('na', NotificationActor, 'created_at')} DESC, "
        f"{column('na', NotificationActor, 'id')} DESC"
    )
    return json_rows_sql(vendor, fields, source, where, order, limit=SHOWN_ACTORS)


def actors_column(recipient_pk: Any, using: str) -> Expression:
    """``annotate(card_actors=actors_column(recipient.pk, qs.db))``: the notification's
    newest visible actors as JSON, read with ``card_actors``."""
    sql = _actors_sql(connections[using].vendor)
    return CardColumn(sql, (recipient_pk, recipient_pk, recipient_pk))


def _image(uuid_: Any, *rest: Any) -> CardImage | None:
    return None if uuid_ is None else card_image(uuid_, *rest)  # None: no profile image


def card_actors(value: Any) -> list[CardActor]:
    """The actors of an ``actors_column`` value, newest first."""
    return [
        CardActor(str(handle), str(display_name), _image(*image))
        for handle, display_name, *image in json_rows(value)
    ]
