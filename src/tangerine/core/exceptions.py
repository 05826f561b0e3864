"""API exceptions of our own (kept apart from errors.py, which imports DRF's views)."""

from rest_framework import exceptions, status


class Unauthorized(exceptions.APIException):
    """401 on views that take no bearer token (login, refresh), where DRF would answer 403."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Authentication failed."
    default_code = "authentication_failed"
