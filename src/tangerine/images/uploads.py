"""Our own stand-in for S3's POST upload, used by the local storage backend.

It enforces the policy an S3 presigned POST carries, and refuses anything else with a clear
4xx and a machine code: the HMAC signature over the policy document (``bad_signature``, 403), its
expiry (``grant_expired``, 403), the exact key and Content-Type (``policy_mismatch``, 403), the
size range (``too_large`` 413 / ``empty_file`` 400), a single ``file`` part (``file_missing``,
400), and that the key belongs to a pending image (``upload_closed``, 409).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from tangerine.images.exceptions import UploadError
from tangerine.images.models import Image
from tangerine.integrations.storage import SIGNATURE_FIELD, LocalImageStorage, policy_verify

# Room for the multipart boundaries and the small form fields around the file.
MULTIPART_OVERHEAD = 16 * 1024


def _policy_conditions(policy_b64: str) -> tuple[datetime, dict[str, str], tuple[int, int]]:
    try:
        policy = json.loads(base64.b64decode(policy_b64, validate=True))
        expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        exact: dict[str, str] = {}
        size_range = (1, 0)
        for condition in policy["conditions"]:
            if isinstance(condition, dict):
                exact.update({str(k): str(v) for k, v in condition.items()})
            elif condition[0] == "content-length-range":
                size_range = (int(condition[1]), int(condition[2]))
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
        raise UploadError("The upload policy is malformed.", code="bad_policy") from None
    return expires, exact, size_range


def check_content_length(content_length: Any, max_bytes: int) -> None:
    """Refuse before reading the body: no length, or more than the largest grant allows."""
    try:
        length = int(content_length)
    except (TypeError, ValueError):
        raise UploadError(
            "A Content-Length header is required.", code="length_required", status=411
        ) from None
    if length > max_bytes + MULTIPART_OVERHEAD:
        raise UploadError(
            f"The upload is larger than {max_bytes} bytes.", code="too_large", status=413
        )


def upload_receive(*, form: Any, files: Any) -> Image:
    """Check the signed policy against the form and the file, then store the original."""
    policy_b64 = str(form.get("policy", ""))
    signature = str(form.get(SIGNATURE_FIELD, ""))
    if not policy_b64 or not signature or not policy_verify(policy_b64, signature):
        raise UploadError("The upload signature is invalid.", code="bad_signature", status=403)
    expires, exact, (min_size, max_size) = _policy_conditions(policy_b64)
    if timezone.now() >= expires:
        raise UploadError("The upload grant has expired.", code="grant_expired", status=403)
    for name in ("key", "Content-Type"):
        if name not in exact or form.get(name) != exact[name]:
            raise UploadError(
                f"The form field {name!r} does not match the upload grant.",
                code="policy_mismatch",
                status=403,
            )
    uploaded = files.getlist("file") if hasattr(files, "getlist") else []
    if len(uploaded) != 1:
        raise UploadError("Send exactly one file in the 'file' field.", code="file_missing")
    upload = uploaded[0]
    if upload.size > max_size:
        raise UploadError(
            f"The file is larger than {max_size} bytes.", code="too_large", status=413
        )
    if upload.size < max(min_size, 1):
        raise UploadError("The file is empty.", code="empty_file")

    image = Image.objects.filter(key=exact["key"]).first()
    if image is None or image.status != Image.Status.PENDING:
        raise UploadError(
            "This upload grant was already used or withdrawn.", code="upload_closed", status=409
        )
    LocalImageStorage().original_write(key=image.key, chunks=upload.chunks())
    return image
