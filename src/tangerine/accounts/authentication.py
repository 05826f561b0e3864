from __future__ import annotations

from typing import Any

from rest_framework_simplejwt import authentication

from tangerine.accounts.tokens import TOKEN_VERSION_CLAIM, user_for_token_claims


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's bearer authentication, plus our revocation rules.

    Only access tokens authenticate (simplejwt checks the type); the user must be active and not
    suspended, and the token's version must be the user's current one.
    """

    def get_user(self, validated_token: Any) -> Any:
        return user_for_token_claims(
            sub=validated_token.get("sub"), version=validated_token.get(TOKEN_VERSION_CLAIM)
        )
