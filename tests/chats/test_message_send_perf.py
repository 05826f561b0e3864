"""What one chat message costs the database (issue #17: each statement is a round trip on the
socket's message path, measured end to end by bench/chat). The counts are pinned so a new
query on the path is a decision, not an accident; the read marks the send hands back (the
message's unread count) are the database's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.selectors import room_read_marks

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_a_group_message_costs_five_statements(alice: User, bob: User, carol: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle, carol.handle])
    services.membership_mark_read(user=bob, room_uuid=room.uuid)
    with CaptureQueriesContext(connection) as ctx:
        result = services.message_send(
            sender=alice, room_uuid=room.uuid, text="hello", client_id="c-1"
        )
    # 1. the room, locked, with an earlier message under this client id; 2. the read marks;
    # 3. the insert; 4. the room's sequence; 5. the sender's read mark.
    assert len(_statements(ctx)) == 5, _statements(ctx)
    assert result.created and result.message.seq == 1
    assert sorted(result.read_marks) == sorted(room_read_marks(room_id=room.pk))
    assert dict(result.read_marks)[alice.pk] == 1


def test_a_one_to_one_message_adds_only_the_block_check(alice: User, bob: User) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle])
    with CaptureQueriesContext(connection) as ctx:
        services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c-1")
    assert len(_statements(ctx)) == 6, _statements(ctx)


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
