"""Where image bytes live: originals (private) and variants (served), behind one small interface.

``IMAGE_STORAGE`` picks the backend:

- ``local`` (default): originals under ``IMAGE_PRIVATE_ROOT`` (never under ``MEDIA_ROOT``, so
  never served), variants under ``MEDIA_ROOT``. Upload grants point at our own endpoint
  (``POST /api/images/upload/``), which checks the same policy S3 would: an HMAC signature over
  the policy document, its expiry, the exact key, the exact Content-Type and the size range.
- ``s3``: any S3 API (AWS, MinIO, moto). Grants are boto3 presigned POSTs; variants are written
  and addressed through django-storages' ``S3Storage``; originals are only ever read by us.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.crypto import constant_time_compare, salted_hmac

from tangerine.integrations import s3

LOCAL_UPLOAD_PATH = "/api/images/upload/"
SIGNATURE_FIELD = "x-tangerine-signature"
_SALT = "tangerine.images.upload-policy"


@dataclass(frozen=True)
class Grant:
    url: str
    fields: dict[str, str]


class ImageStorage(Protocol):
    def grant(
        self, *, key: str, content_type: str, max_bytes: int, expires_at: datetime
    ) -> Grant: ...
    def original_put(self, *, key: str, data: bytes) -> None: ...
    def original_size(self, *, key: str) -> int | None: ...
    def original_read(self, *, key: str, max_bytes: int | None = None) -> bytes: ...
    def original_delete(self, *, key: str) -> None: ...
    def variant_save(self, *, key: str, data: bytes) -> None: ...
    def variant_url(self, *, key: str) -> str: ...
    def variant_delete(self, *, key: str) -> None: ...


def policy_document(
    *, key: str, content_type: str, max_bytes: int, expires_at: datetime, bucket: str | None = None
) -> dict[str, Any]:
    """An S3 POST policy: exact key, exact Content-Type, size range [1, max_bytes], expiry."""
    conditions: list[Any] = [
        {"key": key},
        {"Content-Type": content_type},
        ["content-length-range", 1, max_bytes],
    ]
    if bucket:
        conditions.insert(0, {"bucket": bucket})
    return {
        "expiration": expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "conditions": conditions,
    }


def policy_sign(policy_b64: str) -> str:
    return salted_hmac(_SALT, policy_b64, algorithm="sha256").hexdigest()


def policy_verify(policy_b64: str, signature: str) -> bool:
    return constant_time_compare(policy_sign(policy_b64), signature)


def _safe_path(root: Path, key: str) -> Path:
    """``root / key``, refusing keys that climb out of ``root`` (keys are ours, but be sure)."""
    path = (root / key).resolve()
    if root.resolve() not in path.parents:
        raise ValueError(f"Storage key escapes its root: {key!r}")
    return path


class LocalImageStorage:
    def __init__(self) -> None:
        self.private_root = Path(settings.IMAGE_PRIVATE_ROOT)
        self.media = FileSystemStorage(location=settings.MEDIA_ROOT, base_url=settings.MEDIA_URL)

    def grant(self, *, key: str, content_type: str, max_bytes: int, expires_at: datetime) -> Grant:
        policy = policy_document(
            key=key, content_type=content_type, max_bytes=max_bytes, expires_at=expires_at
        )
        policy_b64 = base64.b64encode(json.dumps(policy).encode()).decode()
        return Grant(
            url=LOCAL_UPLOAD_PATH,
            fields={
                "key": key,
                "Content-Type": content_type,
                "policy": policy_b64,
                SIGNATURE_FIELD: policy_sign(policy_b64),
            },
        )

    def original_write(self, *, key: str, chunks: Any) -> int:
        """Store an upload atomically (temp file, then rename); returns the byte count."""
        path = _safe_path(self.private_root, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    written += len(chunk)
                    out.write(chunk)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written

    def original_put(self, *, key: str, data: bytes) -> None:
        self.original_write(key=key, chunks=[data])

    def original_size(self, *, key: str) -> int | None:
        path = _safe_path(self.private_root, key)
        return path.stat().st_size if path.is_file() else None

    def original_read(self, *, key: str, max_bytes: int | None = None) -> bytes:
        """The original's bytes; at most ``max_bytes + 1`` of them when ``max_bytes`` is given."""
        with _safe_path(self.private_root, key).open("rb") as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)

    def original_delete(self, *, key: str) -> None:
        _safe_path(self.private_root, key).unlink(missing_ok=True)

    def variant_save(self, *, key: str, data: bytes) -> None:
        if self.media.exists(key):
            self.media.delete(key)
        self.media.save(key, ContentFile(data))

    def variant_url(self, *, key: str) -> str:
        return self.media.url(key)

    def variant_delete(self, *, key: str) -> None:
        self.media.delete(key)

    def variant_read(self, *, key: str) -> bytes:
        with self.media.open(key, "rb") as handle:
            return handle.read()


class S3ImageStorage:
    def grant(self, *, key: str, content_type: str, max_bytes: int, expires_at: datetime) -> Grant:
        from django.utils import timezone

        expires_in = max(1, int((expires_at - timezone.now()).total_seconds()))
        post = s3.s3_presigned_post(
            key=key, content_type=content_type, max_bytes=max_bytes, expires_in=expires_in
        )
        return Grant(url=post["url"], fields={k: str(v) for k, v in post["fields"].items()})

    def original_put(self, *, key: str, data: bytes) -> None:
        s3.s3_object_put(key=key, data=data)

    def original_size(self, *, key: str) -> int | None:
        return s3.s3_object_size(key=key)

    def original_read(self, *, key: str, max_bytes: int | None = None) -> bytes:
        return s3.s3_object_read(key=key, max_bytes=max_bytes)

    def original_delete(self, *, key: str) -> None:
        s3.s3_object_delete(key=key)

    def variant_save(self, *, key: str, data: bytes) -> None:
        s3.s3_variant_storage().save(key, ContentFile(data))

    def variant_url(self, *, key: str) -> str:
        return str(s3.s3_variant_storage().url(key))

    def variant_delete(self, *, key: str) -> None:
        s3.s3_variant_storage().delete(key)

    def variant_read(self, *, key: str) -> bytes:
        with s3.s3_variant_storage().open(key, "rb") as handle:
            return bytes(handle.read())


def image_storage() -> LocalImageStorage | S3ImageStorage:
    """The configured backend (cheap to build; settings are read on each call for tests)."""
    if settings.IMAGE_STORAGE == "s3":
        return S3ImageStorage()
    return LocalImageStorage()
