"""Querysets compiled once per shape and run many times with other values.

Building a list's queryset (visibility rules, EXISTS columns, JSON card columns) and compiling
it to SQL cost ~2 ms of CPU per page of the home feed, more than running it; yet the SQL of two
pages differs only in a few values (the viewer, the cursor's position) while its text depends
on a handful of facts (database, staff or not, order, page size). ``compiled_query`` builds a
shape's queryset once with stand-in values for those that vary (``Slot``), compiles it, and
remembers where the stand-ins landed among the parameters; a later run fills in the real values
and reads model instances the way Django's ``ModelIterable`` does (select_related objects and
annotations included).

It checks itself before a shape is used: the queryset is built and compiled twice, with two
different stand-ins for every slot. The SQL text must be the same, and the parameters must
differ exactly where a stand-in landed. A value the builder took from elsewhere (the clock, a
setting that changed) differs between the two builds where no stand-in is, so that shape is
never remembered and runs through the ORM every time (``compiled_query`` raises
``NotCompilableError``; ``CompiledPage`` falls back). ``tests/core/test_compiled.py`` holds both
behaviours; each user of it compares its pages with the ORM's own
(``tests/posts/test_compiled_pages.py``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

logger = logging.getLogger(__name__)


class NotCompilableError(Exception):
    """The queryset's SQL depends on more than its slots."""


@dataclass(frozen=True)
class Slot:
    """A value that varies from one run to the next. ``field`` turns a value into the
    database's parameter as a lookup on that field would; ``stand_ins`` are two values no real
    run passes (their database parameters must differ and be found nowhere else)."""

    field: Field[Any, Any] | None
    stand_ins: tuple[Any, Any]

    def param(self, value: Any, connection: Any) -> Any:
        if self.field is None:
            return value
        return self.field.get_db_prep_value(
            self.field.get_prep_value(value), connection, prepared=True
        )


def pk_slot(nth: int = 0) -> Slot:
    """A user's (or any integer) primary key; ``nth`` tells apart two of them in one query."""
    return Slot(None, (-1_700_000_017 - 10 * nth, -1_700_000_019 - 10 * nth))


def uuid_slot(field: Field[Any, Any]) -> Slot:
    """A row's uuid (``field``)."""
    return Slot(field, (uuid.UUID(int=0x1700_0000_17), uuid.UUID(int=0x1700_0000_19)))


def datetime_slot(field: Field[Any, Any]) -> Slot:
    first = datetime(2000, 1, 1, 0, 0, 7, tzinfo=UTC)
    return Slot(field, (first, first + timedelta(days=1, seconds=2)))


def count_slot(nth: int = 0) -> Slot:
    """A non-negative integer (a price, a count), passed to the database as the Python ``int``
    it is: the caller checks the type (a cursor's decoder, a query serializer). Not through the
    column's field: on PostgreSQL that adapts it to the column's own type (``int4``), which
    mangles a cursor's value past the column's range, where the ORM would have read "always"
    or "never". The stand-ins are inside the range of integer and big-integer columns, so the
    ORM keeps the comparison (a negative one against a positive column is dropped); not for
    small-integer columns, where the slot would land nowhere and the shape be refused."""
    return Slot(None, (2_000_000_017 + 10 * nth, 2_000_000_019 + 10 * nth))


def text_slot(field: Field[Any, Any], nth: int = 0) -> Slot:
    """A short text (a category, a status); ``nth`` tells apart two of them in one query."""
    return Slot(field, (f"\x1fstand-in-{nth}-a", f"\x1fstand-in-{nth}-b"))


@dataclass(frozen=True)
class CompiledQuery:
    """A compiled model queryset: ``run(values)`` gives its model instances for those slot
    values, with one statement and none of the building."""

    using: str
    compiler: SQLCompiler  # the template's, set up (select, klass_info); never executed
    sql: str
    params: tuple[Any, ...]
    holes: tuple[tuple[int, str], ...]  # (parameter position, slot name)
    slots: Mapping[str, Slot]

    def _params(self, values: Mapping[str, Any], connection: Any) -> list[Any]:
        params = list(self.params)
        for position, name in self.holes:
            params[position] = self.slots[name].param(values[name], connection)
        return params

    def rows(self, values: Mapping[str, Any]) -> list[Any]:
        """The raw rows (no converters): for counting, or a ``values_list`` of keys."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self._params(values, connection))
            return list(cursor.fetchall())

    def run(self, values: Mapping[str, Any]) -> list[Any]:
        connection = connections[self.using]
        params = self._params(values, connection)
        template = self.compiler
        compiler = template.query.get_compiler(using=self.using, connection=connection)
        compiler.select = template.select
        compiler.klass_info = template.klass_info
        compiler.annotation_col_map = template.annotation_col_map
        compiler.col_count = template.col_count
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        return list(_models(compiler, rows, self.using))


def _models(compiler: SQLCompiler, rows: list[Any], db: str) -> Iterator[Model]:
    """Model instances from rows, as ``django.db.models.query.ModelIterable``."""
    select, klass_info, annotation_col_map = (
        compiler.select,
        compiler.klass_info,
        compiler.annotation_col_map,
    )
    assert klass_info is not None  # noqa: S101 (a model query always has one)
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    related_populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]
    for row in compiler.results_iter([rows]):
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, position in annotation_col_map.items():
                setattr(obj, attr_name, row[position])
        yield obj


# The shapes by recency of use: past MAX_SHAPES the least recently used goes, so a client
# making many rare shapes (page sizes, filter sets, cursors) cannot push out the ones in use.
_compiled: OrderedDict[Hashable, CompiledQuery | None] = OrderedDict()
_lock = threading.Lock()
MAX_SHAPES = 512


def compiled_query(
    key: Hashable,
    build: Callable[[Mapping[str, Any]], QuerySet[Any]],
    slots: Mapping[str, Slot],
    using: str,
) -> CompiledQuery:
    """The compiled ``build(stand-ins)`` for the shape ``key`` (which must name everything the
    SQL text depends on besides the slots, database included). Raises ``NotCompilableError`` when
    the self-check fails (remembered: the shape is not tried again)."""
    full_key = (using, key)
    try:
        with _lock:
            found = _compiled[full_key]
            _compiled.move_to_end(full_key)
    except KeyError:
        found = _compile(build, slots, using)
        with _lock:
            _compiled[full_key] = found
            while len(_compiled) > MAX_SHAPES:
                _compiled.popitem(last=False)
        if found is None:
            logger.warning("query shape %r depends on more than its slots: not compiled", key)
    if found is None:
        raise NotCompilableError(key)
    return found


def _compile(
    build: Callable[[Mapping[str, Any]], QuerySet[Any]], slots: Mapping[str, Slot], using: str
) -> CompiledQuery | None:
    connection = connections[using]
    stand_ins = {
        name: tuple(slot.param(v, connection) for v in slot.stand_ins)
        for name, slot in slots.items()
    }
    pairs = list(stand_ins.values())
    if any(pair in pairs[:i] for i, pair in enumerate(pairs)):
        raise ValueError(f"two slots share their stand-ins: {sorted(slots)}")
    builds = []
    for i in (0, 1):
        qs = build({name: slot.stand_ins[i] for name, slot in slots.items()})
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        builds.append((compiler, sql, tuple(params)))
    (compiler, sql, params), (_, other_sql, other_params) = builds
    if sql != other_sql or len(params) != len(other_params):
        return None
    holes = []
    for position, (first, second) in enumerate(zip(params, other_params, strict=True)):
        names = [n for n, (a, b) in stand_ins.items() if first == a and second == b]
        if names:
            holes.append((position, names[0]))
        elif first != second or any(first in pair for pair in stand_ins.values()):
            return None
    # A slot that landed nowhere was dropped by the builder (the ORM turns a comparison with a
    # value out of a column's range into "always" or "never"): its real values might not be.
    if {name for _, name in holes} != set(slots):
        return None
    return CompiledQuery(using, compiler, sql, params, tuple(holes), dict(slots))


def first_compiled(
    key: Hashable,
    build: Callable[[Mapping[str, Any]], QuerySet[Any]],
    slots: Mapping[str, Slot],
    values: Mapping[str, Any],
    using: str,
) -> Any | None:
    """``build(values).first()``, from a query compiled once per shape ``key`` (the ORM's own
    when the shape fails the self-check)."""

    def first(v: Mapping[str, Any]) -> QuerySet[Any]:
        qs = build(v)
        return (qs if qs.ordered else qs.order_by("pk"))[:1]

    try:
        rows = compiled_query(("first", key), first, slots, using).run(values)
    except NotCompilableError:
        rows = list(first(values))
    return rows[0] if rows else None


def forget_all() -> None:
    """Drop every compiled shape (tests that change settings the SQL depends on)."""
    with _lock:
        _compiled.clear()


class CompiledPage:
    """What ``CursorPagination.paginate_queryset`` asks of a queryset (``order_by``, ``filter``
    on the cursor's position, a slice, iteration), served by a ``CompiledQuery`` per shape.

    ``build(values)`` gives the list's queryset for slot values (``values`` as given here, and
    the cursor's position as ``bound:<lookup>``); ``key`` names everything else its SQL
    depends on. The page is ``build(...).order_by(...).filter(<bound>)[start:stop]`` exactly; a
    shape that fails the self-check runs exactly that through the ORM. A compiled query
    prefetches nothing: what a page shows of related rows is columns of its own rows
    (``core.cardsql``)."""

    def __init__(
        self,
        *,
        key: Hashable,
        build: Callable[[Mapping[str, Any]], QuerySet[Any]],
        slots: Mapping[str, Slot],
        values: Mapping[str, Any],
        bound_field: Field[Any, Any],
        using: str,
    ) -> None:
        self.key = key
        self.build = build
        self.slots = slots
        self.values = values
        self.bound_field = bound_field
        self.using = using
        self.ordering: tuple[str, ...] = ()
        self.bound: dict[str, Any] = {}
        self.start: int | None = None
        self.stop: int | None = None

    def _copy(self, **changes: Any) -> CompiledPage:
        other = object.__new__(CompiledPage)
        other.__dict__.update(self.__dict__, **changes)
        return other

    def order_by(self, *ordering: str) -> CompiledPage:
        return self._copy(ordering=tuple(ordering))

    def filter(self, **bound: Any) -> CompiledPage:
        name = self.bound_field.name
        if any(lookup.split("__")[0] != name for lookup in bound):
            raise TypeError(f"a compiled page filters on {name} only, not {sorted(bound)}")
        return self._copy(bound={**self.bound, **bound})

    def __getitem__(self, item: slice) -> CompiledPage:
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("a compiled page takes a slice")
        return self._copy(start=item.start, stop=item.stop)

    def _page(self, values: Mapping[str, Any]) -> QuerySet[Any]:
        bound = {lookup: values[f"bound:{lookup}"] for lookup in self.bound}
        return self.build(values).order_by(*self.ordering).filter(**bound)[self.start : self.stop]

    def __iter__(self) -> Iterator[Any]:
        lookups = tuple(sorted(self.bound))
        slots = dict(self.slots)
        values = dict(self.values)
        for lookup in lookups:
            slots[f"bound:{lookup}"] = datetime_slot(self.bound_field)
            values[f"bound:{lookup}"] = self.bound[lookup]
        key = (self.key, self.ordering, lookups, self.start, self.stop)
        try:
            rows = compiled_query(key, self._page, slots, self.using).run(values)
        except NotCompilableError:
            rows = list(self._page(values))
        return iter(rows)
