"""Thin views for /api/accounts/: parse, call a service or selector, render."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.http import JsonResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts import google, refresh_cookie, selectors, services
from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.models import User
from tangerine.accounts.serializers import (
    AccountDeleteSerializer,
    AuthResultSerializer,
    DetailSerializer,
    GoogleConfigSerializer,
    GoogleLoginSerializer,
    LoginSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RefreshSerializer,
    RegistrationSerializer,
    TokenPairSerializer,
    UserSearchQuerySerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from tangerine.accounts.tokens import token_rotate, tokens_for_user
from tangerine.core import exports
from tangerine.core.errors import error_schema
from tangerine.core.exceptions import Unauthorized
from tangerine.core.ratelimit import client_address
from tangerine.core.schema import NON_BLANK, body_rules, error_response


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "An outside service could not be reached. Try again later."
    default_code = "service_unavailable"


_ACCOUNT_ERROR = error_schema("AccountError")


def _auth_result(request: Request, user: User, http_status: int = status.HTTP_200_OK) -> Response:
    me = selectors.user_qs_for_viewer(viewer=user).get(pk=user.pk)
    body = {**tokens_for_user(user=user), "user": MeSerializer(me).data}
    return refresh_cookie.respond_with_tokens(request, body, http_status)


_COOKIE_HEADER = OpenApiParameter(
    refresh_cookie.HEADER,
    str,
    location=OpenApiParameter.HEADER,
    enum=["1"],
    description=(
        "`1`: browsers. The refresh token is set as an HttpOnly, SameSite=Strict cookie scoped "
        "to the refresh and logout paths and left out of the JSON body (docs/accounts.md)."
    ),
)


def _google_id_token(data: dict[str, Any]) -> str:
    """The ID token sent, or the one Google gives for the authorization code sent."""
    if data.get("id_token"):
        return str(data["id_token"])
    return google.google_exchange_code(
        code=data["code"],
        redirect_uri=data["redirect_uri"],
        code_verifier=data.get("code_verifier"),
    )


class RegistrationView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=RegistrationSerializer,
        parameters=[_COOKIE_HEADER],
        responses={201: AuthResultSerializer},
    )
    def post(self, request: Request) -> Response:
        data = RegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(
            email=data.validated_data["email"],
            handle=data.validated_data["handle"],
            password=data.validated_data["password1"],
            display_name=data.validated_data.get("display_name", ""),
            address=client_address(request),
        )
        return _auth_result(request, user, status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=LoginSerializer,
        parameters=[_COOKIE_HEADER],
        responses={
            200: AuthResultSerializer,
            401: error_response("`invalid_credentials`: the e-mail or password is wrong."),
        },
    )
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_login(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            address=client_address(request),
        )
        return _auth_result(request, user)


class GoogleLoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=GoogleLoginSerializer,
        parameters=[_COOKIE_HEADER],
        responses={
            200: AuthResultSerializer,
            400: error_response(
                "Invalid input, or Google sign-in is not configured on this server "
                "(`GOOGLE_CLIENT_ID` unset; `GET /api/accounts/google/config/` says "
                "`enabled: false`)."
            ),
            401: error_response("The ID token or authorization code is not Google's (valid)."),
            503: error_response("Google could not be reached; try again."),
        },
        # Exactly one proof: an ID token, or an authorization code with its redirect URI.
        extensions=body_rules(
            oneOf=[{"required": ["id_token"]}, {"required": ["code", "redirect_uri"]}]
        ),
    )
    def post(self, request: Request) -> Response:
        data = GoogleLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            identity = google.google_verify_id_token(id_token=_google_id_token(data.validated_data))
        except google.GoogleUnavailableError as exc:
            raise ServiceUnavailable from exc
        user = services.user_google_login(identity=identity)
        return _auth_result(request, user)


class GoogleConfigView(APIView):
    """What the web app needs to start a Google sign-in (authorization code with PKCE)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="accounts_google_config",
        summary="Whether Google sign-in is on, and where to send the browser",
        description=(
            "The web app sends the browser to `authorization_url` with `client_id`, `scope`, "
            "`response_type=code`, a PKCE `code_challenge` (S256) and a `state`, then posts the "
            "returned `code` with its `redirect_uri` and `code_verifier` to "
            "`/api/accounts/google/login/`. `enabled` is false when no client id is set."
        ),
        responses={200: GoogleConfigSerializer},
        examples=[
            OpenApiExample(
                "On",
                value={
                    "enabled": True,
                    "client_id": "1234-abc.apps.googleusercontent.com",
                    "authorization_url": "https://accounts.google.com/o/oauth2/v2/auth",
                    "scope": "openid email profile",
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        client_id = settings.GOOGLE_CLIENT_ID or ""
        return Response(
            {
                "enabled": bool(client_id),
                "client_id": client_id,
                "authorization_url": settings.GOOGLE_AUTH_URL,
                "scope": "openid email profile",
            }
        )


_COOKIE = OpenApiParameter(
    settings.REFRESH_COOKIE_NAME,
    str,
    location=OpenApiParameter.COOKIE,
    description=(
        "The refresh token set by a request with `X-Refresh-Cookie: 1` (named by "
        "REFRESH_COOKIE_NAME; on the logout path its copy `<name>_logout`). Read only with that "
        "header, never from a cross-site request."
    ),
)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RefreshSerializer,
        parameters=[_COOKIE_HEADER, _COOKIE],
        responses={204: None},
        description=(
            "Revokes the refresh token of the body, or, with `X-Refresh-Cookie: 1` and no body "
            "token, the one in the cookie, and clears the cookie (a cookie that is missing, "
            "invalid or not this user's is cleared without a revocation)."
        ),
    )
    def post(self, request: Request) -> Response:
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request_user(request)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        body_token = data.validated_data.get("refresh")
        if body_token:
            services.user_logout(user=user, refresh=body_token)
            return response
        token = refresh_cookie.logout_token(request)
        if token:
            # A cookie that is invalid, expired or another user's is no session of this user's:
            # nothing to revoke, and it is cleared all the same.
            with contextlib.suppress(Unauthorized, ValidationError):
                services.user_logout(user=user, refresh=token)
        refresh_cookie.clear_cookie(response)
        return response


class TokenRefreshView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=RefreshSerializer,
        parameters=[_COOKIE_HEADER, _COOKIE],
        responses={
            200: TokenPairSerializer,
            401: OpenApiResponse(
                _ACCOUNT_ERROR, description="`token_not_valid`: missing, revoked or expired."
            ),
            403: OpenApiResponse(
                _ACCOUNT_ERROR,
                description=(
                    "`refresh_cookie_header_required` or `refresh_cookie_cross_site`: a cookie "
                    "refresh without the header, or from another site."
                ),
            ),
        },
        description=(
            "Exchanges a refresh token for a new pair; the old refresh token is revoked (of "
            "parallel refreshes of one token exactly one succeeds). The token comes from the "
            "body, or, with `X-Refresh-Cookie: 1` and no body token, from the cookie; the new "
            "one is then set as the cookie and left out of the body. A cookie without that "
            "header is refused with 403 `refresh_cookie_header_required`, a cross-site request "
            "(`Sec-Fetch-Site: cross-site`) with 403 `refresh_cookie_cross_site`. A missing, "
            "revoked or expired token is 401 `token_not_valid`; no token at all 400 on "
            "`refresh`."
        ),
    )
    def post(self, request: Request) -> Response:
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw = refresh_cookie.refresh_from_request(request, data.validated_data.get("refresh"))
        if not raw:
            raise Unauthorized(detail="No refresh token cookie.", code="token_not_valid")
        _, pair = token_rotate(raw=raw)
        return refresh_cookie.respond_with_tokens(request, dict(pair), status.HTTP_200_OK)


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PasswordChangeSerializer,
        parameters=[_COOKIE_HEADER],
        responses={200: AuthResultSerializer, 400: _ACCOUNT_ERROR, 429: _ACCOUNT_ERROR},
    )
    def post(self, request: Request) -> Response:
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request_user(request)
        services.user_password_change(
            user=user,
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password1"],
            address=client_address(request),
        )
        # Every other session is now logged out; this one continues with a new pair.
        return _auth_result(request, user)


class PasswordResetView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(request=PasswordResetSerializer, responses={200: DetailSerializer})
    def post(self, request: Request) -> Response:
        data = PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(
            email=data.validated_data["email"], address=client_address(request)
        )
        return Response({"detail": "If this address has an account, we sent a reset link."})


class PasswordResetConfirmView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(request=PasswordResetConfirmSerializer, responses={200: DetailSerializer})
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(
            uid=data.validated_data["uid"],
            token=data.validated_data["token"],
            new_password=data.validated_data["new_password1"],
        )
        return Response({"detail": "Your password has been changed."})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = request_user(request)
        me = selectors.user_qs_for_viewer(viewer=user).get(pk=user.pk)
        return Response(MeSerializer(me).data)


@extend_schema(parameters=[OpenApiParameter("search", str, description="handle or display name")])
class UserListView(ListAPIView[User]):
    permission_classes = [IsAuthenticated]
    serializer_class = UserSerializer

    def get_queryset(self) -> Any:
        search = self.request.query_params.get("search", "")[:100]
        return selectors.user_list(viewer=request_user(self.request), search=search)


_USER_EXAMPLE = {
    "uuid": "0b6f3c1e-6a55-4c1e-9a43-6f1f0e1d2c3b",
    "handle": "minji",
    "display_name": "민지",
    "bio": "제주 감귤 농부",
    "link_1": "",
    "link_2": "",
    "profile_image": None,
    "follower_count": 12,
    "following_count": 3,
    "is_following": False,
    "is_blocked": False,
    "is_muted": False,
    "is_staff": False,
    "created_at": "2026-11-26T09:00:00Z",
}


class UserSearchView(APIView):
    """People by handle or display name, for pickers (chat invites, mentions)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_search",
        parameters=[
            OpenApiParameter(
                "q",
                {**NON_BLANK, "maxLength": 50},
                required=True,
                description="1 to 50 characters of a handle or display name (any case).",
            )
        ],
        responses={200: UserSerializer(many=True), 400: _ACCOUNT_ERROR},
        description=(
            "At most 20 active users whose handle or display name contains `q` (any case), "
            "best first: exact handle, handle prefix, display name prefix, then by handle. "
            "Users on either side of a block with the viewer, suspended and deactivated "
            "accounts never appear. A missing, blank or longer `q` is 400 on `q`."
        ),
        examples=[
            OpenApiExample(
                "Korean display name",
                value=[_USER_EXAMPLE],
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Blank q",
                value={
                    "code": "invalid",
                    "detail": "Invalid input.",
                    "fields": {"q": ["This field may not be blank."]},
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        data = UserSearchQuerySerializer(data={"q": request.query_params.get("q", "")})
        data.is_valid(raise_exception=True)
        people = selectors.user_search(viewer=request_user(request), q=data.validated_data["q"])
        return Response(UserSerializer(people, many=True).data)


class _DeleteBodySchema(AutoSchema):
    """drf-spectacular documents request bodies of POST, PUT and PATCH only; account deletion
    takes one (the proof of the owner), so DELETE's body is documented like a POST's."""

    def _get_request_body(self, direction: str = "request") -> Any:
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class UserDetailView(APIView):
    schema = _DeleteBodySchema()

    def _get_own(self, request: Request, handle: str) -> User:
        me = request_user(request)
        user = selectors.user_get_by_handle(handle=handle, viewer=me)
        if user.pk != me.pk:
            raise PermissionDenied("You can only change your own account.")
        return user

    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request, handle: str) -> Response:
        viewer = request_viewer(request)
        user = selectors.user_get_by_handle(handle=handle, viewer=viewer)
        serializer = MeSerializer if viewer is not None and user.pk == viewer.pk else UserSerializer
        return Response(serializer(user).data)

    def _update(self, request: Request, handle: str, *, partial: bool) -> Response:
        user = self._get_own(request, handle)
        data = UserUpdateSerializer(
            data=request.data, partial=partial, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        services.user_update(user=user, data=data.validated_data)
        fresh = selectors.user_qs_for_viewer(viewer=request_viewer(request)).get(pk=user.pk)
        return Response(MeSerializer(fresh).data)

    @extend_schema(request=UserUpdateSerializer, responses={200: MeSerializer})
    def put(self, request: Request, handle: str) -> Response:
        return self._update(request, handle, partial=False)

    @extend_schema(request=UserUpdateSerializer, responses={200: MeSerializer})
    def patch(self, request: Request, handle: str) -> Response:
        return self._update(request, handle, partial=True)

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={
            204: OpenApiResponse(description="Deleted."),
            400: _ACCOUNT_ERROR,
            403: _ACCOUNT_ERROR,
            429: _ACCOUNT_ERROR,
            503: _ACCOUNT_ERROR,
        },
        # One proof: the current password, a Google ID token, or a code with its redirect URI.
        extensions=body_rules(
            oneOf=[
                {"required": ["current_password"]},
                {"required": ["id_token"]},
                {"required": ["code", "redirect_uri"]},
            ]
        ),
    )
    def delete(self, request: Request, handle: str) -> Response:
        """Delete one's own account: asks for the current password (or, for an account
        without one, a fresh Google sign-in), limited per account and address."""
        user = self._get_own(request, handle)
        data = AccountDeleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        google_id_token = ""
        if not user.has_usable_password() and (
            data.validated_data.get("id_token") or data.validated_data.get("code")
        ):
            try:
                google_id_token = _google_id_token(data.validated_data)
            except google.GoogleUnavailableError as exc:
                raise ServiceUnavailable from exc
        try:
            services.user_confirm_identity(
                user=user,
                current_password=data.validated_data.get("current_password", ""),
                google_id_token=google_id_token,
                address=client_address(request),
            )
        except google.GoogleUnavailableError as exc:
            raise ServiceUnavailable from exc
        services.user_delete(user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _RelationView(APIView):
    """POST makes the relation to the user named in the URL, DELETE removes it."""

    permission_classes = [IsAuthenticated]
    # Keyword names differ per relation (blocker/blocked, muter/muted): called with ``source``
    # and ``target`` below, so only the return type is fixed here.
    create: staticmethod[..., None] = staticmethod(services.block_create)
    remove: staticmethod[..., None] = staticmethod(services.block_delete)
    source, target = "blocker", "blocked"

    @extend_schema(
        request=None,
        responses={
            200: UserSerializer,
            400: error_response("`invalid` on `handle`: you cannot block or mute yourself."),
        },
    )
    def post(self, request: Request, handle: str) -> Response:
        me = request_user(request)
        other = selectors.user_get_by_handle(handle=handle, viewer=me)
        self.create(**{self.source: me, self.target: other})
        fresh = selectors.user_get_by_handle(handle=handle, viewer=me)
        return Response(UserSerializer(fresh).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, handle: str) -> Response:
        me = request_user(request)
        other = selectors.user_get_by_handle(handle=handle, viewer=me)
        self.remove(**{self.source: me, self.target: other})
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockView(_RelationView):
    pass


class MuteView(_RelationView):
    create = staticmethod(services.mute_create)
    remove = staticmethod(services.mute_delete)
    source, target = "muter", "muted"


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict[str, Any]})
    def get(self, request: Request) -> JsonResponse:
        response = JsonResponse(
            exports.export_all(request_user(request)), json_dumps_params={"indent": 2}
        )
        response["Content-Disposition"] = 'attachment; filename="tangerine-export.json"'
        return response
