"""Mentions: ``@handle`` in a post, comment or reply, parsed on every save of the text.

Stored as ``Mention`` rows (one per item and person). The ``posts.mentioned`` hook is sent after
the commit with the people an item names **for the first time**: an edit announces only people
it adds, a mention removed and typed again is not announced again, and the author never is.
The item's row is locked while its mentions are compared, so two edits at once cannot both
announce the same person.
"""

from __future__ import annotations

import re
from typing import Literal

from django.db import transaction
from django.db.models.functions import Lower

from tangerine.accounts.models import HANDLE_MAX_LENGTH, HANDLE_MIN_LENGTH, Block, User
from tangerine.posts import hooks
from tangerine.posts.models import Comment, Mention, Post, Reply

# More distinct handles than this in one text are ignored (a wall of @s is not a conversation).
MAX_MENTIONS = 20

# ``@`` not glued to a word, a path or another ``@`` (so e-mail addresses are no mentions), then
# a handle that ends where handle characters end.
MENTION_RE = re.compile(
    rf"(?<![A-Za-z0-9_@./])@([A-Za-z0-9_]{{{HANDLE_MIN_LENGTH},{HANDLE_MAX_LENGTH}}})(?![A-Za-z0-9_@])"
)

Kind = Literal["post", "comment", "reply"]
Target = Post | Comment | Reply


def mention_handles(text: str) -> list[str]:
    """Distinct lower-cased handles mentioned in ``text``, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
        if len(seen) >= MAX_MENTIONS:
            break
    return list(seen)


def _kind_of(target: Target) -> Kind:
    if isinstance(target, Post):
        return "post"
    if isinstance(target, Comment):
        return "comment"
    return "reply"


def mentions_sync(*, target: Target, author: User) -> list[User]:
    """Bring ``target``'s mention rows in line with its text; return the people newly
    mentioned (and schedule the hook for them after the commit).

    Call inside the transaction that saved the text. Handles that name no active, unsuspended
    user are ignored; the author mentioning themself is stored (it is shown) but never
    announced, nor is anyone on either side of a block with the author.
    """
    kind = _kind_of(target)
    model = type(target)
    # Serialises concurrent edits of one item (PostgreSQL; SQLite writers are serial anyway).
    model.objects.select_for_update().filter(pk=target.pk).values_list("pk").first()
    handles = mention_handles(target.text)
    users: list[User] = []
    if handles:
        by_handle = {
            user.handle.lower(): user
            for user in User.objects.annotate(handle_lower=Lower("handle")).filter(
                handle_lower__in=handles, is_active=True, suspended_at__isnull=True
            )
        }
        users = [by_handle[h] for h in handles if h in by_handle]
    rows = {row.user_id: row for row in Mention.objects.filter(**{kind: target})}
    wanted = {user.pk: position for position, user in enumerate(users)}
    new_users = [user for user in users if user.pk not in rows]
    Mention.objects.bulk_create(
        [Mention(user=user, position=wanted[user.pk], **{kind: target}) for user in new_users]
    )
    changed = []
    for user_id, row in rows.items():
        in_text = user_id in wanted
        position = wanted.get(user_id, row.position)
        if row.in_text != in_text or row.position != position:
            row.in_text, row.position = in_text, position
            changed.append(row)
    if changed:
        Mention.objects.bulk_update(changed, ["in_text", "position"])
    announce = [user for user in new_users if user.pk != author.pk]
    if announce:
        blocked = set(
            Block.objects.between_any([author.pk], [u.pk for u in announce]).values_list(
                "blocker_id", "blocked_id"
            )
        )
        blocked_ids = {pk for pair in blocked for pk in pair} - {author.pk}
        announce = [user for user in announce if user.pk not in blocked_ids]
    if announce:
        payload = hooks.Mentioned(kind=kind, author=author, target=target, users=tuple(announce))
        transaction.on_commit(lambda: hooks.mentioned.send(payload))
    return announce
