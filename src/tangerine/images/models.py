"""Uploaded images. The original upload is never served; only processed variants are."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tangerine.core.models import BaseModel


class Image(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="images"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # Storage key of the original upload (server-chosen, never the client's file name).
    key = models.CharField(max_length=255, unique=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    # [{"key": ..., "width": ..., "height": ..., "format": "jpeg"|"webp"}]
    variants = models.JSONField(default=list, blank=True)
    # A 64-bit perceptual hash (dHash) of the processed picture, stored signed; near-identical
    # pictures differ in few bits whatever their size or encoding. Null until processed.
    phash = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"Image {self.uuid} ({self.status})"
