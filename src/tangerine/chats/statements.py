"""The message path's SQL, written once per database (``services.message_send``).

A chat message is the hottest write of the product: one API process must store, acknowledge and
deliver hundreds a second (issue 17). Through the ORM, building and compiling the path's
querysets cost about three quarters of its CPU (``bench/chat/send_cpu.py``: ~4.4 ms a message,
of which executing the statements is a tenth). Here each statement's text is built once per
database alias from the models' own table and column names, and only its values change.

Portable SQL: PostgreSQL and SQLite take the same text, except the row lock, which PostgreSQL
gets (``FOR UPDATE OF``) and SQLite does not need (one writer at a time; ``core/sqlite``
begins write transactions ``IMMEDIATE``). Every value is a parameter; identifiers come from
``_meta`` and are quoted by the backend.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Field, Model

from tangerine.chats.models import Membership, Message, Room


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):  # a reverse relation has no column
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return str(field.column)


Converter = tuple[Any, list[Any]]  # (the column expression, the backend's and field's converters)


@dataclass(frozen=True)
class Statements:
    room_fields: tuple[Field[Any, Any], ...]
    # What the ORM would apply to each room column read (SQLite's text dates and uuids).
    room_converters: tuple[Converter, ...]
    # Room columns, then the id of the sender's earlier message under the client id (or NULL).
    # Parameters: sender id, client id, room uuid, sender id.
    lock_room: str
    # (user_id, last_read_seq) of every member. Parameters: room id.
    read_marks: str
    message_fields: tuple[Field[Any, Any], ...]
    # Parameters: one per field of ``message_fields``; returns the new id where the database can.
    insert_message: str
    returns_id: bool
    # Parameters: last message id, updated_at, room id.
    advance_room: str
    # Parameters: seq, seq, room id, user id.
    mark_read: str
    # PostgreSQL: the three writes in one statement (one round trip instead of three), or "".
    # Parameters: those of ``insert_message``, then updated_at, room id, then ``mark_read``'s;
    # returns the new id.
    write_message: str


@functools.lru_cache(maxsize=8)
def statements(using: str) -> Statements:
    connection = connections[using]
    qn = connection.ops.quote_name
    room, membership, message = (qn(model._meta.db_table) for model in (Room, Membership, Message))
    room_fields = tuple(Room._meta.concrete_fields)
    columns = ", ".join(f"r.{qn(str(f.column))}" for f in room_fields)
    m_room, m_sender, m_client = (qn(_column(Message, f)) for f in ("room", "sender", "client_id"))
    ms_room, ms_user, ms_read = (
        qn(_column(Membership, f)) for f in ("room", "user", "last_read_seq")
    )
    lock = ""
    if connection.features.has_select_for_update_of:
        lock = " FOR UPDATE OF r"
    elif connection.features.has_select_for_update:
        lock = " FOR UPDATE"
    lock_room = (
        f"SELECT {columns}, (SELECT m.{qn('id')} FROM {message} m"  # noqa: S608
        f" WHERE m.{m_room} = r.{qn('id')} AND m.{m_sender} = %s AND m.{m_client} = %s"
        f" LIMIT 1) FROM {room} r WHERE r.{qn(_column(Room, 'uuid'))} = %s"
        f" AND r.{qn(_column(Room, 'closed_at'))} IS NULL"
        f" AND EXISTS (SELECT 1 FROM {membership} ms WHERE ms.{ms_room} = r.{qn('id')}"
        f" AND ms.{ms_user} = %s){lock}"
    )
    read_marks = f"SELECT {ms_user}, {ms_read} FROM {membership} WHERE {ms_room} = %s"  # noqa: S608
    message_fields = tuple(f for f in Message._meta.concrete_fields if not f.primary_key)
    returns_id = bool(connection.features.can_return_columns_from_insert)
    insert_message = (
        f"INSERT INTO {message} ({', '.join(qn(str(f.column)) for f in message_fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(message_fields))})"
        + (f" RETURNING {qn('id')}" if returns_id else "")
    )
    r_next, r_last, r_updated = (
        qn(_column(Room, f)) for f in ("next_seq", "last_message", "updated_at")
    )
    advance_room = (
        f"UPDATE {room} SET {r_next} = {r_next} + 1, {r_last} = %s, {r_updated} = %s"  # noqa: S608
        f" WHERE {qn('id')} = %s"
    )
    mark_read = (
        f"UPDATE {membership} SET {ms_read} = CASE WHEN {ms_read} < %s THEN %s"  # noqa: S608
        f" ELSE {ms_read} END WHERE {ms_room} = %s AND {ms_user} = %s"
    )
    write_message = ""
    if connection.vendor == "postgresql":
        # Every part of a statement with data-modifying CTEs runs, referenced or not, on one
        # snapshot; the room row is already locked by this transaction (``lock_room``).
        write_message = (
            f"WITH new AS ({insert_message}),"  # noqa: S608
            f" room AS (UPDATE {room} SET {r_next} = {r_next} + 1,"
            f" {r_last} = (SELECT {qn('id')} FROM new), {r_updated} = %s WHERE {qn('id')} = %s),"
            f" mark AS ({mark_read}) SELECT {qn('id')} FROM new"
        )
    converters = []
    for field in room_fields:
        column = field.get_col(Room._meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        converters.append((column, found))
    return Statements(
        room_fields=room_fields,
        room_converters=tuple(converters),
        lock_room=lock_room,
        read_marks=read_marks,
        message_fields=message_fields,
        insert_message=insert_message,
        returns_id=returns_id,
        advance_room=advance_room,
        mark_read=mark_read,
        write_message=write_message,
    )


def room_from_row(using: str, values: tuple[Any, ...] | list[Any]) -> Room:
    """A ``Room`` from the room columns of ``lock_room``, converted as the ORM converts them."""
    connection = connections[using]
    sql = statements(using)
    converted = []
    for value, (column, converters) in zip(values, sql.room_converters, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    return Room.from_db(using, [f.attname for f in sql.room_fields], converted)
