from __future__ import annotations

from rest_framework import exceptions


class UploadError(exceptions.APIException):
    """A refused upload or completion: a 4xx with a specific machine code (see the docs)."""

    status_code = 400
    default_detail = "The upload was refused."
    default_code = "upload_refused"

    def __init__(self, detail: str, *, code: str, status: int = 400) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status
