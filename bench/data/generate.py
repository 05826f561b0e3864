"""Bench data: users, follows, posts, likes, comments, notifications, products, chat rooms.

Fast on PostgreSQL (``COPY ... FROM STDIN`` through psycopg), and also on SQLite
(``executemany``) so a tiny run can be part of the test suite. Every row is planned in memory
first (seeded, so two runs make the same data), which lets the denormalised counters
(``follower_count``, ``like_count``, ``comment_count``, ``next_seq``, ``last_message``) be
written with the rows instead of fixed up afterwards.

Shape: followees and authors are skewed towards low user numbers (a few popular people);
posts are spread over a year, newest last; every comment notifies its post's author (one
``comment`` notification with its actor row); rooms have 10 members and their messages are
spread evenly. Three viewers are fixed for the benchmarks: ``u0`` follows no one, ``u1``
follows 5 people and ``u2`` follows min(300, users - 3).

    .venv/bin/python bench/data/generate.py --db tangerine_bench                # the defaults
    .venv/bin/python bench/data/generate.py --db tangerine_bench --posts 2000 --users 500 ...

``--db`` is created and migrated when missing; when it exists, the tables it fills are
emptied first (``TRUNCATE ... RESTART IDENTITY CASCADE``). Prints rows/s per table and writes
``bench/results/data.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")


@dataclass
class Sizes:
    users: int = 10_000
    posts: int = 200_000
    likes: int = 1_000_000
    follows: int = 100_000
    products: int = 20_000
    comments: int = 50_000
    rooms: int = 1_000
    messages: int = 1_000_000

    @classmethod
    def tiny(cls) -> Sizes:
        return cls(
            users=60, posts=300, likes=900, follows=400, products=80, comments=150, rooms=4,
            messages=200,
        )  # fmt: skip


VIEWER_FEW = 5
VIEWER_MANY = 300
ROOM_SIZE = 10
PASSWORD = "!"  # noqa: S105 (an unusable password: bench users sign in with minted tokens)


def _skewed(rng: random.Random, n: int) -> int:
    """0 … n-1, low numbers far more often (popular people, hot posts)."""
    return min(n - 1, int(n * rng.random() ** 2))


@dataclass
class Plan:
    """Indices (0-based) of everything to write; ids are mapped after each table is written."""

    follows: list[tuple[int, int]]
    post_author: list[int]
    likes: list[tuple[int, int]]
    comments: list[tuple[int, int]]  # (post, author)
    product_owner: list[int]
    rooms: list[list[int]]


def plan(sizes: Sizes, seed: int = 17) -> Plan:
    rng = random.Random(seed)
    n = sizes.users
    if n < 4:
        raise ValueError("at least 4 users")
    pairs: set[tuple[int, int]] = set()
    # The fixed viewers: u0 follows no one, u1 a few, u2 hundreds.
    for f, count in ((1, VIEWER_FEW), (2, VIEWER_MANY)):
        for t in rng.sample(range(3, n), min(count, n - 3)):
            pairs.add((f, t))
    target = min(sizes.follows, (n - 3) * (n - 1))
    while len(pairs) < target:
        f = rng.randrange(3, n)
        t = _skewed(rng, n)
        if f != t:
            pairs.add((f, t))
    post_author = [_skewed(rng, n) for _ in range(sizes.posts)]
    likes: set[tuple[int, int]] = set()
    like_target = min(sizes.likes, n * sizes.posts // 2)
    while len(likes) < like_target:
        likes.add((rng.randrange(n), _skewed(rng, sizes.posts) if sizes.posts else 0))
    comments = [
        (sizes.posts - 1 - _skewed(rng, sizes.posts), rng.randrange(n))
        for _ in range(sizes.comments if sizes.posts else 0)
    ]
    product_owner = [_skewed(rng, n) for _ in range(sizes.products)]
    rooms = [rng.sample(range(n), min(ROOM_SIZE, n)) for _ in range(sizes.rooms)]
    return Plan(sorted(pairs), post_author, sorted(likes), comments, product_owner, rooms)


class Writer:
    """Writes rows of one model: COPY on PostgreSQL, executemany elsewhere; columns left out
    get the field's default (``auto_now`` fields: now)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.stats: dict[str, dict[str, float]] = {}

    def write(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        meta = model._meta
        by_name = {f.name: f for f in meta.concrete_fields}
        fields = [by_name[c] for c in columns]
        now = dt.datetime.now(dt.UTC)
        extra: list[tuple[Any, Callable[[], Any]]] = []
        for f in meta.concrete_fields:
            if f.primary_key or f.name in columns:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                extra.append((f, lambda: now))
            elif f.has_default() and f.name == "uuid":
                extra.append((f, uuid.uuid4))
            elif f.has_default():
                extra.append((f, f.get_default))
            elif f.null:
                extra.append((f, lambda: None))
            elif f.blank:
                extra.append((f, lambda: ""))
            else:
                raise ValueError(f"{meta.label}.{f.name} needs a value")
        all_fields = fields + [f for f, _ in extra]
        makers = [m for _, m in extra]
        table = self.connection.ops.quote_name(meta.db_table)
        cols = ", ".join(self.connection.ops.quote_name(f.column) for f in all_fields)
        started = time.perf_counter()
        count = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *(m() for m in makers)))
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(all_fields))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                batch: list[list[Any]] = []
                for row in rows:
                    values = (*row, *(m() for m in makers))
                    batch.append(
                        [
                            f.get_db_prep_save(v, self.connection)
                            for f, v in zip(all_fields, values, strict=True)
                        ]
                    )
                    count += 1
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        seconds = time.perf_counter() - started
        self.stats[meta.label] = {
            "rows": count,
            "seconds": round(seconds, 3),
            "rows_per_s": round(count / seconds) if seconds > 0 else 0,
        }
        return count

    def ids(self, model: Any, after: int) -> list[int]:
        return list(model.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True))


def _max_id(model: Any) -> int:
    from django.db.models import Max

    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def generate(sizes: Sizes, *, seed: int = 17, using: str = "default") -> dict[str, Any]:
    """Writes the data into the configured database (Django must be set up)."""
    from django.db import connections

    from tangerine.accounts.models import User
    from tangerine.chats.models import Membership, Message, Room
    from tangerine.follows.models import Follow
    from tangerine.notifications.models import Notification, NotificationActor
    from tangerine.posts.models import Comment, Post, PostLike
    from tangerine.products.models import CATEGORIES, Product

    connection = connections[using]
    started = time.perf_counter()
    p = plan(sizes, seed)
    rng = random.Random(seed + 1)
    w = Writer(connection)
    now = dt.datetime.now(dt.UTC)
    year = dt.timedelta(days=365)

    # Users, with their follow counters.
    follower_count = [0] * sizes.users
    following_count = [0] * sizes.users
    for f, t in p.follows:
        following_count[f] += 1
        follower_count[t] += 1
    base = _max_id(User)
    w.write(
        User,
        [
            "password", "email", "handle", "display_name", "created_at",
            "follower_count", "following_count",
        ],
        (
            (PASSWORD, f"u{i}@bench.test", f"u{i}", f"User {i}", now - year,
             follower_count[i], following_count[i])
            for i in range(sizes.users)
        ),
    )  # fmt: skip
    user_ids = w.ids(User, base)
    w.write(
        Follow,
        ["follower", "followee"],
        ((user_ids[f], user_ids[t]) for f, t in p.follows),
    )

    # Posts (oldest first), with like and comment counters.
    like_count = [0] * sizes.posts
    for _, post in p.likes:
        like_count[post] += 1
    comment_count = [0] * sizes.posts
    for post, _ in p.comments:
        comment_count[post] += 1
    step = year / max(sizes.posts, 1)
    categories = ["daily", "food", "fashion", ""]
    base = _max_id(Post)
    post_uuids = [uuid.uuid4() for _ in range(sizes.posts)]
    post_times = [now - year + step * i for i in range(sizes.posts)]
    w.write(
        Post,
        [
            "uuid", "author", "title", "text", "category", "created_at", "updated_at",
            "like_count", "comment_count",
        ],
        (
            (post_uuids[i], user_ids[a], f"post {i}", f"bench post {i} about tangerines",
             categories[i % 4], post_times[i], post_times[i], like_count[i], comment_count[i])
            for i, a in enumerate(p.post_author)
        ),
    )  # fmt: skip
    post_ids = w.ids(Post, base)
    w.write(
        PostLike,
        ["user", "post"],
        ((user_ids[u], post_ids[post]) for u, post in p.likes),
    )
    comment_uuids = [uuid.uuid4() for _ in p.comments]
    comment_times = [
        min(now, post_times[post] + dt.timedelta(minutes=rng.randrange(1, 600)))
        for post, _ in p.comments
    ]
    w.write(
        Comment,
        ["uuid", "post", "author", "text", "created_at", "updated_at"],
        (
            (comment_uuids[i], post_ids[post], user_ids[a], f"comment {i}",
             comment_times[i], comment_times[i])
            for i, (post, a) in enumerate(p.comments)
        ),
    )  # fmt: skip

    # Every comment by someone else notifies the post's author (one actor row each).
    notes = [(i, post, a) for i, (post, a) in enumerate(p.comments) if a != p.post_author[post]]
    base = _max_id(Notification)
    w.write(
        Notification,
        [
            "recipient", "actor", "kind", "target_type", "target_uuid", "post_uuid",
            "preview", "created_at", "updated_at", "latest_at",
        ],
        (
            (user_ids[p.post_author[post]], user_ids[a], "comment", "comment",
             comment_uuids[i], post_uuids[post], f"comment {i}", comment_times[i],
             comment_times[i], comment_times[i])
            for i, post, a in notes
        ),
    )  # fmt: skip
    note_ids = w.ids(Notification, base)
    w.write(
        NotificationActor,
        ["notification", "actor", "created_at"],
        (
            (nid, user_ids[a], comment_times[i])
            for nid, (i, _, a) in zip(note_ids, notes, strict=True)
        ),
    )

    # Products.
    codes = list(CATEGORIES)
    statuses = ["on_sale"] * 8 + ["reserved", "sold_out"]
    w.write(
        Product,
        [
            "owner", "name", "description", "price", "currency", "link", "status",
            "category", "popularity", "save_count", "created_at", "updated_at",
        ],
        (
            (user_ids[o], f"product {i}", f"bench product {i}", rng.randrange(1000, 500_000),
             "KRW", f"https://store.example/p/{i}", statuses[i % 10], codes[i % len(codes)],
             rng.randrange(0, 1000), 0, now - year + year * (i / max(sizes.products, 1)),
             now)
            for i, o in enumerate(p.product_owner)
        ),
    )  # fmt: skip

    # Chat rooms of 10, messages spread evenly, next_seq and last_message set afterwards.
    per_room = [sizes.messages // max(len(p.rooms), 1)] * len(p.rooms)
    for r in range(sizes.messages - sum(per_room)):
        per_room[r % len(per_room)] += 1
    base = _max_id(Room)
    w.write(
        Room,
        ["name", "created_by", "next_seq"],
        ((f"room {r}", user_ids[m[0]], per_room[r] + 1) for r, m in enumerate(p.rooms)),
    )
    room_ids = w.ids(Room, base)
    w.write(
        Membership,
        ["room", "user", "last_read_seq"],
        (
            (room_ids[r], user_ids[u], per_room[r])
            for r, members in enumerate(p.rooms)
            for u in members
        ),
    )
    w.write(
        Message,
        ["room", "sender", "text", "seq", "client_id"],
        (
            (room_ids[r], user_ids[members[s % len(members)]], f"message {s}", s, f"b{s}")
            for r, members in enumerate(p.rooms)
            for s in range(1, per_room[r] + 1)
        ),
    )
    room_table = connection.ops.quote_name(Room._meta.db_table)
    msg_table = connection.ops.quote_name(Message._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {room_table} SET last_message_id = (SELECT m.id FROM {msg_table} m "  # noqa: S608
            f"WHERE m.room_id = {room_table}.id ORDER BY m.seq DESC LIMIT 1) "
            f"WHERE {room_table}.id > %s",
            [base],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    total_rows = sum(int(s["rows"]) for s in w.stats.values())
    seconds = time.perf_counter() - started
    return {
        "sizes": asdict(sizes),
        "tables": w.stats,
        "rows": total_rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(total_rows / seconds),
        "viewers": {"none": "u0", "few": "u1", "many": "u2"},
    }


# ---- command line: a database of its own ---------------------------------------------------


def psql(db: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qtA", db],
        input=sql,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


FILLED_TABLES = [
    "accounts_user", "follows_follow", "posts_post", "posts_postlike", "posts_comment",
    "notifications_notification", "notifications_notificationactor", "products_product",
    "chats_room", "chats_membership", "chats_message",
]  # fmt: skip


def prepare_database(db: str) -> None:
    """Creates and migrates ``db`` if missing, else empties the tables the generator fills."""
    if not db.replace("_", "").isalnum():
        raise SystemExit(f"bad database name {db!r}")
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'").strip()  # noqa: S608
    if not exists:
        psql("postgres", f"CREATE DATABASE {db}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env={**os.environ, **django_env(db)},
            check=True,
            capture_output=True,
        )
    else:
        psql(db, f"TRUNCATE {', '.join(FILLED_TABLES)} RESTART IDENTITY CASCADE;")


def django_env(db: str) -> dict[str, str]:
    return {
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "DATABASE_POOL_MAX_SIZE": "0",
        "SEARCH_INDEX_SYNC": "false",
        "SEARCH_WARM_AT_START": "false",
        "DJANGO_SETTINGS_MODULE": "tangerine.config.settings",
    }


def setup_django(db: str) -> None:
    os.environ.update(django_env(db))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--tiny", action="store_true", help="the smoke test's sizes")
    defaults = Sizes()
    for name, value in asdict(defaults).items():
        parser.add_argument(f"--{name}", type=int, default=None, help=f"default {value:,}")
    args = parser.parse_args(argv)
    sizes = Sizes.tiny() if args.tiny else Sizes()
    for name in asdict(defaults):
        if getattr(args, name) is not None:
            setattr(sizes, name, getattr(args, name))
    prepare_database(args.db)
    setup_django(args.db)
    result = generate(sizes, seed=args.seed)
    result["db"] = args.db
    result["load_average"] = round(os.getloadavg()[0], 2)
    for label, s in result["tables"].items():
        print(f"{label:32} {s['rows']:>10,} rows {s['seconds']:>8.2f} s {s['rows_per_s']:>10,}/s")
    print(
        f"total {result['rows']:,} rows in {result['seconds']} s: {result['rows_per_s']:,} rows/s"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "data.json").write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
