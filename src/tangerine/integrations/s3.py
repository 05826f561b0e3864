"""A thin typed S3 client for any S3 API (AWS, MinIO, moto), configured from settings.

Credentials come from ``S3_ACCESS_KEY_ID`` / ``S3_SECRET_ACCESS_KEY`` (or their ``_FILE``
variants), or, when unset, from boto3's usual chain (instance role, ``AWS_*`` variables).
Clients and storages are cached per configuration, so tests that point at a fresh moto server
get fresh ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings


def _config_key() -> tuple[Any, ...]:
    return (
        settings.S3_BUCKET,
        settings.S3_ENDPOINT_URL,
        settings.S3_REGION,
        settings.S3_ACCESS_KEY_ID,
        settings.S3_SECRET_ACCESS_KEY,
        settings.S3_ADDRESSING_STYLE,
        settings.S3_CUSTOM_DOMAIN,
        settings.S3_URL_EXPIRE_SECONDS,
    )


@lru_cache(maxsize=4)
def _client(key: tuple[Any, ...]) -> Any:
    import boto3
    from botocore.config import Config

    _, endpoint_url, region, access_key, secret, addressing, _, _ = key
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": addressing},
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3},
        ),
    )


@lru_cache(maxsize=4)
def _variant_storage(key: tuple[Any, ...]) -> Any:
    from storages.backends.s3 import S3Storage

    bucket, endpoint_url, region, access_key, secret, addressing, domain, expire = key
    return S3Storage(
        bucket_name=bucket,
        endpoint_url=endpoint_url,
        region_name=region,
        access_key=access_key,
        secret_key=secret,
        addressing_style=addressing,
        signature_version="s3v4",
        custom_domain=domain,
        # Without a CDN domain the bucket stays private and variant URLs are presigned GETs.
        querystring_auth=not domain,
        querystring_expire=expire,
        default_acl=None,
        file_overwrite=True,
        object_parameters={"CacheControl": "public, max-age=31536000, immutable"},
    )


def s3_client() -> Any:
    """A boto3 S3 client for the configured endpoint."""
    return _client(_config_key())


def s3_variant_storage() -> Any:
    """django-storages' ``S3Storage`` for the served variants."""
    return _variant_storage(_config_key())


def s3_presigned_post(
    *, key: str, content_type: str, max_bytes: int, expires_in: int
) -> dict[str, Any]:
    """A presigned POST for exactly ``key``, exactly ``content_type``, 1..max_bytes bytes.

    boto3 adds the ``bucket`` and ``key`` conditions and the signature fields itself.
    """
    return dict(
        s3_client().generate_presigned_post(
            Bucket=settings.S3_BUCKET,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
    )


def s3_object_size(*, key: str) -> int | None:
    """The stored object's size, or None when there is no such object."""
    from botocore.exceptions import ClientError

    try:
        head = s3_client().head_object(Bucket=settings.S3_BUCKET, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return int(head["ContentLength"])


def s3_object_read(*, key: str, max_bytes: int | None = None) -> bytes:
    """The object's bytes; with ``max_bytes``, at most ``max_bytes + 1`` of them are read, so a
    caller sees that the object is too large without holding all of it in memory."""
    body = s3_client().get_object(Bucket=settings.S3_BUCKET, Key=key)["Body"]
    try:
        return bytes(body.read() if max_bytes is None else body.read(max_bytes + 1))
    finally:
        body.close()


def s3_object_delete(*, key: str) -> None:
    s3_client().delete_object(Bucket=settings.S3_BUCKET, Key=key)


def s3_object_put(*, key: str, data: bytes) -> None:
    """Server-side writes of originals (demo data, tools); clients upload with presigned POSTs."""
    s3_client().put_object(Bucket=settings.S3_BUCKET, Key=key, Body=data)
