"""Users, their profile, social-login links, blocks and mutes."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from tangerine.core.models import BaseModel
from tangerine.core.validators import validate_http_url

HANDLE_MIN_LENGTH = 3
HANDLE_MAX_LENGTH = 30
# Handles appear in URLs (/u/<handle>): they must not shadow a route or impersonate the site.
RESERVED_HANDLES = frozenset(
    {
        "about", "account", "accounts", "admin", "administrator", "api", "auth", "chat",
        "chats", "edit", "explore", "feed", "help", "home", "login", "logout", "me", "media",
        "mod", "moderator", "new", "null", "posts", "products", "register", "report",
        "reports", "root", "search", "settings", "signup", "staff", "static", "support",
        "system", "tangerine", "undefined", "user", "users", "ws", "www",
    }
)  # fmt: skip

handle_validator = RegexValidator(
    regex=r"^[A-Za-z0-9_]{3,30}$",
    message="A handle has 3 to 30 characters: letters, digits and underscores.",
    code="invalid_handle",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self,
        email: str,
        handle: str,
        password: str | None = None,
        *,
        password_hash: str | None = None,
        **extra: Any,
    ) -> User:
        """``password_hash`` (from ``make_password``, computed before the caller's transaction:
        hashing takes ~0.3 s and SQLite holds its write lock for the whole transaction) wins
        over ``password``."""
        user = self.model(email=self.normalize_email(email).lower(), handle=handle, **extra)
        if password_hash is not None:
            user.password = password_hash
        else:
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, handle: str, password: str, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, handle, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    email = models.EmailField(max_length=254, unique=True)
    handle = models.CharField(max_length=HANDLE_MAX_LENGTH, validators=[handle_validator])
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    link_1 = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    link_2 = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    profile_image = models.ForeignKey(
        "images.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Set by moderation: a suspended user cannot log in or use tokens, and their content is hidden.
    suspended_at = models.DateTimeField(null=True, blank=True)
    # Bumped to revoke every token issued before (password change, "log out everywhere").
    token_version = models.PositiveIntegerField(default=0)
    # Counters kept with F() in the same transaction as the follow that changes them.
    follower_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["handle"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("handle"), name="user_handle_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class SocialAccount(BaseModel):
    """A link from an outside identity (Google's ``sub``) to one of our users."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="social_accounts")
    provider = models.CharField(max_length=32)
    subject = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="social_provider_subject")
        ]


class BlockQuerySet(models.QuerySet["Block"]):
    """The one place that says "a block stands between these people" (either direction)."""

    def between(self, a: Any, b: Any) -> BlockQuerySet:
        """Blocks between ``a`` and ``b`` in either direction.

        Each side is a user, a primary key or an expression such as ``OuterRef("author")``,
        so the same rule works in ``.exists()`` checks and in ``~Exists(...)`` filters.
        """
        return self.filter(models.Q(blocker=a, blocked=b) | models.Q(blocker=b, blocked=a))

    def between_any(self, a_ids: Any, b_ids: Any) -> BlockQuerySet:
        """Blocks in either direction between anyone in ``a_ids`` and anyone in ``b_ids``
        (iterables of primary keys, or subqueries of them)."""
        return self.filter(
            models.Q(blocker_id__in=a_ids, blocked_id__in=b_ids)
            | models.Q(blocked_id__in=a_ids, blocker_id__in=b_ids)
        )

    def involving(self, user: Any) -> BlockQuerySet:
        """Every block ``user`` made or received."""
        return self.filter(models.Q(blocker=user) | models.Q(blocked=user))


class Block(BaseModel):
    """``blocker`` does not want to see or be seen by ``blocked``."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")

    objects: ClassVar[BlockQuerySet] = BlockQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]


class Mute(BaseModel):
    """``muter`` hides ``muted``'s content from their own feeds without telling them."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_received")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]
