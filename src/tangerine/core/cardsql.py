"""JSON card columns: a list's related rows aggregated into a column of the item's own row.

A page of posts or products used to read its tags, images and mentions with a prefetch query
each: every prefetch built, compiled and ran its queryset and made a model instance per row,
about 40 % of a feed page's CPU (bench/README.md, "CPU round"). A card column is instead a
correlated subquery that aggregates the item's rows into a JSON array, in SQL written once per
database vendor, so a page is one query whatever its size; the subqueries run off the
``(item, ...)`` indexes, a few rows each.

The pieces here know no domain model: ``posts.cards`` (tags, images, mentions) and
``images.cards`` (an item's images, for posts and products) write their SQL with them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Expression, F, TextField

OUTER = "{outer}"  # where the outer row's column goes in a card column's SQL


class CardColumn(Expression):
    """Raw SQL around a column of the outer row (``outer``, the item's ``id`` by default: a
    source expression, so Django relabels it wherever the query is used), with the viewer's
    parameters. The SQL names ``OUTER`` before any ``%s`` of ``params`` (the outer column's
    own parameters, if it had any, come first)."""

    def __init__(
        self, sql: str, params: tuple[Any, ...], outer: str = "id", output_field: Any = None
    ) -> None:
        super().__init__(output_field=output_field or TextField())
        self.sql, self.params, self.outer = sql, params, F(outer)

    def get_source_expressions(self) -> list[Any]:
        return [self.outer]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.outer,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        outer_sql, outer_params = compiler.compile(self.outer)
        return self.sql.replace(OUTER, outer_sql), (*outer_params, *self.params)


def quote(name: str) -> str:
    return f'"{name}"'  # both vendors quote identifiers so


def table(model: type[Any], alias: str) -> str:
    return f"{quote(model._meta.db_table)} {alias}"


def column(alias: str, model: type[Any], field: str) -> str:
    return f"{alias}.{quote(str(model._meta.get_field(field).column))}"


def json_rows_sql(
    vendor: str,
    fields: dict[str, str],
    source: str,
    where: str,
    order: str,
    limit: int | None = None,
) -> str:
    """A subquery: JSON array of one ``[field, ...]`` array per row of ``source`` matching
    ``where``, ordered by ``order``, the first ``limit`` of them if given. ``fields`` name ->
    column (``variants`` is JSON).

    Every piece is built by the callers from quoted model identifiers; values (the viewer) are
    parameters."""
    columns = ", ".join(f"{col} AS {quote(name)}" for name, col in fields.items())
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    if vendor == "postgresql":
        if limit is None:
            row = ", ".join(fields.values())
            select = f"jsonb_agg(jsonb_build_array({row}) ORDER BY {order})"
            return f"(SELECT {select} FROM {source} WHERE {where})"  # noqa: S608 (see above)
        # The first rows in a derived table, numbered so that the aggregate keeps their order.
        row = ", ".join(f"c.{quote(name)}" for name in fields)
        number = f'ROW_NUMBER() OVER (ORDER BY {order}) AS "_n"'
        inner = f"SELECT {columns}, {number} FROM {source} WHERE {where} ORDER BY {order}{cut}"  # noqa: S608
        return f'(SELECT jsonb_agg(jsonb_build_array({row}) ORDER BY c."_n") FROM ({inner}) c)'  # noqa: S608
    # SQLite: json_group_array keeps the order of an ordered derived table; a JSON column is
    # text there, embedded as JSON with json().
    row = ", ".join(
        f"json(c.{quote(name)})" if name == "variants" else f"c.{quote(name)}" for name in fields
    )
    inner = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order}{cut}"  # noqa: S608
    return f"(SELECT json_group_array(json_array({row})) FROM ({inner}) c)"  # noqa: S608


def json_rows(value: Any) -> list[Any]:
    """A JSON column's rows: NULL (PostgreSQL's aggregate of nothing) is none."""
    if value is None:
        return []
    return list(json.loads(value) if isinstance(value, str) else value)


def exists_for_viewer(
    model: type[Any], viewer_field: str, outer_field: str, viewer_pk: Any, outer: str
) -> Expression:
    """``EXISTS`` (a boolean, usable in ``filter`` and ``annotate``) of a row of ``model``
    whose ``viewer_field`` is the viewer and ``outer_field`` the outer row's ``outer``: what
    ``Exists(model.objects.filter(viewer_field=viewer, outer_field=OuterRef(outer)))`` says,
    without building and compiling a queryset per request (the viewer's like of a post, a
    mute of its author, a save of a product)."""
    mine, theirs = column("x", model, viewer_field), column("x", model, outer_field)
    where = f"{theirs} = {OUTER} AND {mine} = %s"  # the outer column's parameters come first
    sql = f"EXISTS (SELECT 1 FROM {table(model, 'x')} WHERE {where})"  # noqa: S608
    return CardColumn(sql, (viewer_pk,), outer, BooleanField())
