"""The refresh token in an HttpOnly cookie, for browsers (issue 10).

A client opts in per request with the header ``X-Refresh-Cookie: 1``. Login, sign-up, Google
sign-in and password change then set the refresh token as a cookie and leave it out of the JSON
body; token refresh reads it from the cookie (when the body has none), rotates it and sets the
new one; logout revokes it and clears it. Clients that send no header (mobile, tests, the API
docs) keep the refresh token in the body, unchanged.

The cookie: ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no cross-site request carries
it), ``Secure`` unless configured off (``REFRESH_COOKIE_SECURE``), max-age of the refresh token's
lifetime, and scoped to exactly the two paths that read it: ``REFRESH_COOKIE_NAME`` with ``Path``
of the refresh endpoint and a copy, ``<name>_logout``, with ``Path`` of the logout endpoint. (A
cookie has one path, and ``/api/accounts/`` would send it with every profile request too; the copy
has a name of its own because a response carries one Set-Cookie per name.) Both are always written
and cleared together.

Cross-site request forgery of a cookie refresh: SameSite=Strict keeps the cookie off cross-site
requests, and a refresh from the cookie also requires the custom header (a cross-site page cannot
send one without a CORS preflight that this API does not grant) and is refused when the browser
says the request is cross-site (``Sec-Fetch-Site``). Refusals are 403 with their own codes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.settings import api_settings

HEADER = "X-Refresh-Cookie"
REFRESH_PATH = "/api/accounts/token/refresh/"
LOGOUT_PATH = "/api/accounts/logout/"


def _names() -> dict[str, str]:
    """The cookie's name on each path."""
    name = settings.REFRESH_COOKIE_NAME
    return {REFRESH_PATH: name, LOGOUT_PATH: f"{name}_logout"}


def cookie_wanted(request: Request) -> bool:
    """Whether the client asked for the refresh token as a cookie (``X-Refresh-Cookie: 1``)."""
    return request.headers.get(HEADER, "").strip() == "1"


def _cookie_value(request: Request, path: str) -> str:
    return str(request.COOKIES.get(_names()[path], ""))


def refresh_from_request(request: Request, body_token: str | None) -> str:
    """The refresh token to use ("" when a cookie client has no cookie).

    A token in the body wins (body mode, as before). Otherwise the cookie, but only with the
    header and never from a cross-site request (403 ``refresh_cookie_header_required`` /
    ``refresh_cookie_cross_site``). Neither: 400 on ``refresh`` as before the cookie existed.
    """
    if body_token:
        return body_token
    cookie = _cookie_value(request, REFRESH_PATH)
    if not cookie_wanted(request):
        if cookie:
            raise PermissionDenied(
                f"A refresh from the cookie needs the header {HEADER}: 1.",
                code="refresh_cookie_header_required",
            )
        raise ValidationError({"refresh": ["This field is required."]})
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        raise PermissionDenied(
            "A refresh from the cookie is refused from another site.",
            code="refresh_cookie_cross_site",
        )
    return cookie


def logout_token(request: Request) -> str | None:
    """The cookie's refresh token for a logout without a body token (400 on ``refresh`` without
    the header, as before the cookie existed); None when there is no cookie to revoke."""
    if not cookie_wanted(request):
        raise ValidationError({"refresh": ["This field is required."]})
    return _cookie_value(request, LOGOUT_PATH) or None


def set_cookie(response: Response, token: str) -> None:
    max_age = int(api_settings.REFRESH_TOKEN_LIFETIME.total_seconds())
    for path, name in _names().items():
        response.set_cookie(
            name,
            token,
            max_age=max_age,
            path=path,
            secure=settings.REFRESH_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )


def clear_cookie(response: Response) -> None:
    for path, name in _names().items():
        response.delete_cookie(name, path=path, samesite="Strict")


def respond_with_tokens(request: Request, body: dict[str, Any], status: int) -> Response:
    """``body`` holds ``access`` and ``refresh``: for a cookie client the refresh token moves
    from the body into the cookie."""
    if not cookie_wanted(request):
        return Response(body, status=status)
    refresh = str(body.pop("refresh"))
    response = Response(body, status=status)
    set_cookie(response, refresh)
    return response
