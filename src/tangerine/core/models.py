"""The base model every table of ours derives from."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """An internal integer key for joins, a public ``uuid`` for URLs, and timestamps.

    The integer ``id`` never leaves the server: APIs address objects by ``uuid``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# The job queue lives in its own module; import it so Django registers the model.
from tangerine.core.models_jobs import Job  # noqa: E402, F401
