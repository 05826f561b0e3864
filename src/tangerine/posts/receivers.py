"""What posts does when accounts change (connected in ``PostsConfig.ready``)."""

from __future__ import annotations

from tangerine.accounts import hooks as accounts
from tangerine.posts.services import social_delete_for_user


def _delete_social_of_user(event: accounts.UserDeleting) -> None:
    social_delete_for_user(user=event.user)


def connect() -> None:
    accounts.user_deleting.connect(_delete_social_of_user)
