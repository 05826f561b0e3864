"""Search index rows (keyword postings, per-document state) and viewing events.

The keyword index lives in the database (not in the vector store) so that search keeps working,
keyword-only, when the vector store is down, and it works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tangerine.core.models import BaseModel


class Kind(models.TextChoices):
    POST = "post"
    PRODUCT = "product"


class SearchDocument(models.Model):
    """One indexed post or product: its length in terms and whether its vector is in Milvus."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    owner_id = models.BigIntegerField(db_index=True)
    length = models.PositiveIntegerField(default=0)
    # False when the last index job could not reach the vector store (`reindex --missing`).
    dense_synced = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_doc_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchPosting(models.Model):
    """An inverted-index entry: ``term`` occurs ``tf`` times in one document (BM25)."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    term = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    tf = models.PositiveIntegerField()
    # Copied from the document so scoring needs no join.
    doc_length = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Covering: BM25 reads (object_id, tf, doc_length) of a term's postings from the
            # index alone instead of one table lookup per posting (3.5x faster on SQLite at 20k
            # items, bench/search/README.md).
            models.Index(
                fields=["kind", "term", "object_id", "tf", "doc_length"],
                name="search_posting_cover",
            ),
            models.Index(fields=["kind", "object_id"], name="search_posting_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.term} in {self.kind}:{self.object_id}"


class Event(BaseModel):
    """A view of a post or product, with how long it was on screen (``dwell_ms``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_events",
    )
    # The viewer as counted for views: "u:<user uuid>" or "a:<hash of the address>".
    viewer_key = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    dwell_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="search_event_user"),
            models.Index(fields=["kind", "object_id"], name="search_event_target"),
        ]


class SynonymGroup(models.Model):
    """Words that mean the same thing to a shopper, in any script: a brand and its
    transliterations (Nike, 나이키), a product word and its synonyms (러닝화, 런닝화, 조깅화,
    running shoes). A query naming one of them also searches the others (keyword terms and
    the query embedding). Edited with ``manage.py search_synonyms``; seeded by migration 0003."""

    terms = models.JSONField(help_text="Lower-case words or phrases, at least two.")
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return ", ".join(self.terms)
