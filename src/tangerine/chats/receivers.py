"""What chats does when accounts change (connected in ``ChatsConfig.ready``)."""

from __future__ import annotations

from tangerine.accounts import hooks as accounts
from tangerine.chats import events


def _blocker_sockets_reload(event: accounts.UserBlocked | accounts.UserUnblocked) -> None:
    """The blocker's open sockets start (or stop) masking the other's group messages."""
    events.publish_blocks_changed(user_uuid=event.blocker.uuid)


def connect() -> None:
    accounts.user_blocked.connect(_blocker_sockets_reload)
    accounts.user_unblocked.connect(_blocker_sockets_reload)
