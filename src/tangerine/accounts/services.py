"""Writes for accounts: registration, login, tokens, passwords, profiles, blocks and mutes."""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework.exceptions import ValidationError

from tangerine.accounts import hooks
from tangerine.accounts.google import GoogleIdentity, google_verify_id_token
from tangerine.accounts.models import RESERVED_HANDLES, Block, Mute, SocialAccount, User
from tangerine.accounts.tokens import refresh_parse, refresh_revoke
from tangerine.core import exports, ratelimit
from tangerine.core.exceptions import Unauthorized
from tangerine.core.realtime import SESSION_REVOKED, publish_on_commit, user_group
from tangerine.images.services import images_delete_for_user, images_delete_unattached


def handle_check_available(*, handle: str, exclude: User | None = None) -> None:
    """Raise a field error if ``handle`` is reserved or taken (case-insensitively)."""
    if handle.lower() in RESERVED_HANDLES:
        raise ValidationError({"handle": ["This handle is reserved."]})
    taken = User.objects.filter(handle__iexact=handle)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"handle": ["This handle is already taken."]})


def _validate_password(password: str, user: User | None, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc


def user_register(
    *, email: str, handle: str, password: str, display_name: str = "", address: str
) -> User:
    """Create an account. Limited per client address; e-mail and handle are unique.

    The password is hashed before the write transaction opens: on SQLite a transaction holds the
    database-wide write lock, and a hash inside it made every other write wait (and fail with
    "database is locked" under a burst of sign-ups).
    """
    ratelimit.enforce(scope="registration", keys=[f"addr:{address}"])
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["An account with this e-mail already exists."]})
    handle_check_available(handle=handle)
    candidate = User(email=email, handle=handle, display_name=display_name or handle)
    _validate_password(password, candidate, "password1")
    password_hash = make_password(password)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                handle=handle,
                password_hash=password_hash,
                display_name=candidate.display_name,
            )
    except IntegrityError as exc:  # a parallel registration took the e-mail or handle
        raise ValidationError({"handle": ["This handle or e-mail is already taken."]}) from exc


def user_login(*, email: str, password: str, address: str) -> User:
    """Check e-mail and password, with atomic limits on failures per account-and-address and per
    address.

    Not per account alone: then anyone could lock the owner out by failing on purpose from
    elsewhere. Every attempt is counted before the check (so a parallel burst cannot slip past
    the limit) and a success is taken back, so only failures count. Every failure answers the
    same, whether or not the e-mail exists.
    """
    email = email.strip().lower()
    keys = [f"acct-addr:{email}|{address}", f"addr:{address}"]
    ratelimit.enforce(scope="login", keys=keys)
    user = authenticate(username=email, password=password)
    if user is None or not isinstance(user, User) or user.is_suspended:
        raise Unauthorized("E-mail or password is incorrect.", code="invalid_credentials")
    ratelimit.forgive(scope="login", keys=keys)
    return user


# A Google sign-in counts as proof for a sensitive action only this soon after it happened.
GOOGLE_REAUTH_MAX_AGE_SECONDS = 300


def user_confirm_identity(
    *, user: User, current_password: str = "", google_id_token: str = "", address: str
) -> None:
    """The proof that the person holding this session is the account's owner, for account
    deletion and password change: the current password, or for an account without a usable
    password (created through Google sign-in) an ID token of a Google sign-in made within
    ``GOOGLE_REAUTH_MAX_AGE_SECONDS`` for the Google account linked to it. A stolen access
    token alone is not enough.

    Attempts are limited per account and per address (``AUTH_RATE_LIMITS["sensitive_action"]``,
    every attempt counts). A wrong password is a ``current_password`` field error.
    """
    ratelimit.enforce(scope="sensitive_action", keys=[f"acct:{user.uuid}", f"addr:{address}"])
    if user.has_usable_password():
        if not current_password:
            raise ValidationError({"current_password": ["Enter your current password."]})
        if not user.check_password(current_password):
            raise ValidationError({"current_password": ["The current password is incorrect."]})
        return
    if not google_id_token:
        raise ValidationError(
            {
                "id_token": [
                    "This account has no password: sign in with Google again and send the "
                    "sign-in's id_token or code."
                ]
            }
        )
    identity = google_verify_id_token(id_token=google_id_token)
    if not SocialAccount.objects.filter(
        user=user, provider="google", subject=identity.subject
    ).exists():
        raise ValidationError({"id_token": ["This Google account is not linked to yours."]})
    # The signature and claims were verified just above; only the issue time is read here.
    issued = jwt.decode(google_id_token, options={"verify_signature": False}).get("iat")
    if not isinstance(issued, int | float) or (
        time.time() - issued > GOOGLE_REAUTH_MAX_AGE_SECONDS
    ):
        raise ValidationError(
            {"id_token": ["This Google sign-in is too old: sign in with Google again."]}
        )


def user_logout(*, user: User, refresh: str) -> None:
    """Revoke the given refresh token (it must be the caller's) and close the caller's sockets."""
    token = refresh_parse(raw=refresh)
    if token.get("sub") != str(user.uuid):
        raise ValidationError({"refresh": ["This refresh token belongs to another session."]})
    refresh_revoke(token=token)
    publish_on_commit(group=user_group(user.uuid), event=SESSION_REVOKED)


def user_revoke_all_tokens(*, user: User) -> None:
    """Invalidate every access and refresh token issued to ``user`` so far."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    publish_on_commit(group=user_group(user.uuid), event=SESSION_REVOKED)


def _password_store(*, user: User, password_hash: str) -> None:
    """Write an already computed hash and revoke every token, in one short transaction."""
    with transaction.atomic():
        user.password = password_hash
        user.save(update_fields=["password", "updated_at"])
        user_revoke_all_tokens(user=user)


def user_password_change(*, user: User, old_password: str, new_password: str, address: str) -> None:
    """Change the password (the old one is required) and revoke all other sessions.

    Attempts are limited per account and per address like every sensitive action
    (``AUTH_RATE_LIMITS["sensitive_action"]``), so a stolen session cannot guess the old
    password. An account without a usable password (Google sign-in) sets one through the reset
    e-mail instead. Both hashes (checking the old password, making the new one) run before the
    transaction.
    """
    ratelimit.enforce(scope="sensitive_action", keys=[f"acct:{user.uuid}", f"addr:{address}"])
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is incorrect."]})
    _validate_password(new_password, user, "new_password2")
    _password_store(user=user, password_hash=make_password(new_password))


def password_reset_request(*, email: str, address: str) -> None:
    """E-mail a reset link if the account exists; the answer is the same either way."""
    email = email.strip().lower()
    ratelimit.enforce(scope="password_reset", keys=[f"acct:{email}", f"addr:{address}"])
    # Also for accounts without a password (Google sign-in): the e-mailed link proves the mailbox.
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.uuid))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_BASE_URL}/reset-password?uid={uid}&token={token}"
    send_mail(
        subject="감귤마켓 비밀번호 재설정 / Reset your Tangerine Market password",
        message=(
            f"안녕하세요 @{user.handle}님,\n\n아래 링크에서 새 비밀번호를 설정하세요.\n"
            f"Set a new password here:\n{link}\n\n"
            f"uid: {uid}\ntoken: {token}\n\n"
            "요청하지 않았다면 이 메일을 무시하세요. If you did not ask for this, ignore it."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Set a new password from an e-mailed link. The new hash is made before the transaction;
    inside it the user row is locked and the link checked again, so two uses of one link
    cannot both succeed (the first changes the hash the token is bound to)."""
    invalid = ValidationError({"token": ["This reset link is invalid or has expired."]})
    try:
        user_uuid = force_str(urlsafe_base64_decode(uid))
        user = User.objects.get(uuid=user_uuid, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, DjangoValidationError):
        raise invalid from None
    if not default_token_generator.check_token(user, token):
        raise invalid
    _validate_password(new_password, user, "new_password2")
    password_hash = make_password(new_password)
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
        if locked is None or not default_token_generator.check_token(locked, token):
            raise invalid
        _password_store(user=locked, password_hash=password_hash)


def _handle_from_email(email: str) -> str:
    base = "".join(ch for ch in email.split("@")[0] if ch.isalnum() or ch == "_")[:20]
    if len(base) < 3 or base.lower() in RESERVED_HANDLES:
        base = f"user_{base}"[:20]
    handle = base
    while User.objects.filter(handle__iexact=handle).exists():
        handle = f"{base}_{secrets.token_hex(3)}"
    return handle


@transaction.atomic
def user_google_login(*, identity: GoogleIdentity) -> User:
    """The user linked to this Google identity, linking or creating one on first sign-in.

    An existing account is linked only because Google verified the e-mail address (the
    identity is refused upstream otherwise); its password, never proven to belong to the
    mailbox's owner, stops working and its sessions are revoked.
    """
    link = SocialAccount.objects.select_related("user").filter(
        provider="google", subject=identity.subject
    )
    if (found := link.first()) is not None:
        user = found.user
    else:
        if not identity.email_verified:
            raise Unauthorized("Google did not confirm this e-mail address.")
        existing = User.objects.filter(email__iexact=identity.email).first()
        if existing is not None:
            user = existing
            if user.has_usable_password():
                # We never verified that whoever chose this password owns the mailbox; Google
                # just did. Anyone could have registered the address first and kept the password
                # (account pre-hijacking), so the password and every session issued with it end
                # here. The owner can set a new password through a reset e-mail.
                user.set_unusable_password()
                user.save(update_fields=["password", "updated_at"])
                user_revoke_all_tokens(user=user)
        else:
            user = User.objects.create_user(
                email=identity.email,
                handle=_handle_from_email(identity.email),
                password=None,
                display_name=identity.name,
            )
        SocialAccount.objects.create(user=user, provider="google", subject=identity.subject)
    if not user.is_active or user.is_suspended:
        raise Unauthorized("This account is not active.")
    return user


_PROFILE_FIELDS = ("display_name", "bio", "link_1", "link_2", "profile_image", "handle")


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Edit one's own profile. Only profile fields are writable."""
    if "handle" in data and data["handle"].lower() != user.handle.lower():
        handle_check_available(handle=data["handle"], exclude=user)
    previous_image = user.profile_image_id
    for field in _PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.full_clean(exclude=["password", "email"])
    user.save()
    if previous_image is not None and previous_image != user.profile_image_id:
        images_delete_unattached(image_ids=[previous_image])
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything it owns. Apps above accounts remove their rows and fix
    the other side's counters (follows, and the likes, comments and replies it left on other
    people's content) on ``hooks.user_deleting``; search forgets it on ``hooks.user_deleted``."""
    hooks.user_deleting.send(hooks.UserDeleting(user=user))
    images_delete_for_user(user=user)
    publish_on_commit(group=user_group(user.uuid), event=SESSION_REVOKED)
    user_id = user.pk
    user.delete()
    hooks.user_deleted.send(hooks.UserDeleted(user_id=user_id))


def block_create(*, blocker: User, blocked: User) -> None:
    """Block a user; apps above react on ``hooks.user_blocked`` (follows end both ways)."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"handle": ["You cannot block yourself."]})
    with transaction.atomic():
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        hooks.user_blocked.send(hooks.UserBlocked(blocker=blocker, blocked=blocked))


def user_suspend(*, user: User) -> bool:
    """Suspend ``user`` and revoke every token they hold; True if they were not suspended.

    Their content disappears through the shared visibility rules (suspended authors are hidden)
    and from search (``hooks.user_standing_changed``); their sockets are told after commit.
    """
    changed = User.objects.filter(pk=user.pk, suspended_at__isnull=True).update(
        suspended_at=timezone.now(), token_version=F("token_version") + 1
    )
    if changed:
        publish_on_commit(group=user_group(user.uuid), event=SESSION_REVOKED)
    hooks.user_standing_changed.send(hooks.UserStandingChanged(user_id=user.pk))
    return bool(changed)


def user_unsuspend(*, user: User) -> bool:
    """Lift a suspension; True if ``user`` was suspended. Their content comes back."""
    changed = User.objects.filter(pk=user.pk, suspended_at__isnull=False).update(suspended_at=None)
    hooks.user_standing_changed.send(hooks.UserStandingChanged(user_id=user.pk))
    return bool(changed)


def block_delete(*, blocker: User, blocked: User) -> None:
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
        if deleted:
            hooks.user_unblocked.send(hooks.UserUnblocked(blocker=blocker, blocked=blocked))


def mute_create(*, muter: User, muted: User) -> None:
    if muter.pk == muted.pk:
        raise ValidationError({"handle": ["You cannot mute yourself."]})
    Mute.objects.get_or_create(muter=muter, muted=muted)


def mute_delete(*, muter: User, muted: User) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()


def _export_account(user: User) -> dict[str, Any]:
    return {
        "uuid": str(user.uuid),
        "email": user.email,
        "handle": user.handle,
        "display_name": user.display_name,
        "bio": user.bio,
        "link_1": user.link_1,
        "link_2": user.link_2,
        "created_at": user.created_at.isoformat(),
        "blocked": list(
            Block.objects.filter(blocker=user).values_list("blocked__handle", flat=True)
        ),
        "muted": list(Mute.objects.filter(muter=user).values_list("muted__handle", flat=True)),
    }


exports.register(name="account", exporter=_export_account)
