"""What one chat message costs the database (issue #17: each statement is a round trip on the
socket's message path, measured end to end by bench/chat). The counts are pinned so a new
query on the path is a decision, not an accident; the read marks the send hands back (the
message's unread count) are the database's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Membership, Message, Room
from tangerine.chats.selectors import room_read_marks

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


# PostgreSQL writes the message, the room's sequence and the sender's read mark in one
# statement (chats/statements.py); other databases in three.
WRITES = 1 if connection.vendor == "postgresql" else 3


def test_a_group_message_costs_three_to_five_statements(
    alice: User, bob: User, carol: User
) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle, carol.handle])
    services.membership_mark_read(user=bob, room_uuid=room.uuid)
    with CaptureQueriesContext(connection) as ctx:
        result = services.message_send(
            sender=alice, room_uuid=room.uuid, text="hello", client_id="c-1"
        )
    # 1. the room, locked, with an earlier message under this client id; 2. the read marks;
    # then the insert, the room's sequence and the sender's read mark.
    assert len(_statements(ctx)) == 2 + WRITES, _statements(ctx)
    assert result.created and result.message.seq == 1
    assert sorted(result.read_marks) == sorted(room_read_marks(room_id=room.pk))
    assert dict(result.read_marks)[alice.pk] == 1


def test_a_one_to_one_message_adds_only_the_block_check(alice: User, bob: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle])
    with CaptureQueriesContext(connection) as ctx:
        services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    assert len(_statements(ctx)) == 3 + WRITES, _statements(ctx)


def test_a_resend_reads_the_stored_message_in_three_statements(alice: User, bob: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle])
    first = services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    with CaptureQueriesContext(connection) as ctx:
        again = services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    assert len(_statements(ctx)) == 3, _statements(ctx)
    assert not again.created and again.message.pk == first.message.pk
    # Another sender's same client id is a message of its own.
    other = services.message_send(sender=bob, room_uuid=room.uuid, text="yo", client_id="c-1")
    assert other.created and other.message.seq == 2


def test_the_stored_message_and_room_are_what_the_orm_reads_back(alice: User, bob: User) -> None:
    """The send path writes its SQL by hand (``chats/statements.py``): what it hands back and
    what it stores must equal what the ORM reads, on every database (SQLite keeps dates and
    uuids as text)."""
    room = services.room_create(creator=alice, handles=[bob.handle])
    result = services.message_send(
        sender=alice, room_uuid=str(room.uuid), text="안녕 hi", client_id="c-9"
    )
    sent = result.message
    stored = Message.objects.get(pk=sent.pk)
    for field in ("uuid", "room_id", "sender_id", "text", "seq", "client_id", "image_id"):
        assert getattr(stored, field) == getattr(sent, field), field
    assert stored.created_at == sent.created_at
    assert stored.updated_at == sent.updated_at
    assert stored.hidden_at is None and stored.deleted_at is None
    assert sent.room == room and sent.room.uuid == room.uuid and sent.room.name == room.name
    assert sent.room.created_at == room.created_at
    after = Room.objects.get(pk=room.pk)
    assert after.next_seq == room.next_seq + 1
    assert after.last_message_id == sent.pk
    assert after.updated_at == sent.created_at
    assert Membership.objects.get(room=room, user=alice).last_read_seq == sent.seq
    assert Membership.objects.get(room=room, user=bob).last_read_seq == 0


def test_a_read_mark_ahead_of_the_message_is_kept(alice: User, bob: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle])
    Membership.objects.filter(room=room, user=alice).update(last_read_seq=50)
    result = services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    assert result.message.seq == 1
    assert Membership.objects.get(room=room, user=alice).last_read_seq == 50
    assert dict(result.read_marks)[alice.pk] == 50


@pytest.mark.parametrize(
    "room_uuid", ["not-a-uuid", "", None, 7, "00000000-0000-0000-0000-000000000000"]
)
def test_a_room_that_is_not_there_is_not_found(alice: User, room_uuid: object) -> None:
    with pytest.raises(Http404):
        services.message_send(sender=alice, room_uuid=room_uuid, text="hi", client_id="c-1")


def test_a_closed_room_or_a_non_member_is_not_found(alice: User, bob: User, carol: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle])
    with pytest.raises(Http404):
        services.message_send(sender=carol, room_uuid=room.uuid, text="hi", client_id="c-1")
    Room.objects.filter(pk=room.pk).update(closed_at=timezone.now())
    with pytest.raises(Http404):
        services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    assert not Message.objects.exists()
