"""Home-feed SQL at scale: the two plans of ``posts.selectors.post_list_for_feed`` side by side.

Makes a PostgreSQL database (``--db``, dropped and re-created), migrates it, fills it with
``--users`` users, ``--posts`` posts spread over a year and ~10 follows per user, plus three
viewers who follow 0, 5 and 300 people; then times the feed's first page (21 rows) for each
viewer with the OR/EXISTS plan (the old one) and with the plan the selector picks now,
interleaved so machine noise hits both alike. Prints a table and writes ``results.json``.

    .venv/bin/python bench/feed/bench_feed.py --posts 200000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def psql(db: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qtA", db],
        input=sql,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def build(db: str, users: int, posts: int) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db};")
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    users, posts = int(users), int(posts)  # integers only: they are formatted into the SQL
    sql = f"""
INSERT INTO accounts_user (password,is_superuser,uuid,created_at,updated_at,email,handle,
  display_name,bio,link_1,link_2,is_active,is_staff,token_version,follower_count,following_count)
SELECT '!', false, gen_random_uuid(), now(), now(), 'u'||g||'@bench.test', 'u'||g, 'User '||g,
  '', '', '', true, false, 0, 0, 0 FROM generate_series(1,{users}) g;
INSERT INTO posts_post (uuid,created_at,updated_at,title,text,category,status,view_count,
  like_count,comment_count,author_id)
SELECT gen_random_uuid(), now() - (g || ' minutes')::interval * (525600.0 / {posts}), now(),
  'post '||g, 'text '||g, 'daily', 'published', 0, 0, 0,
  (SELECT min(id) FROM accounts_user) + (g::bigint * 7919) % {users}
FROM generate_series(1,{posts}) g;
WITH v AS (SELECT min(id) AS base FROM accounts_user)
INSERT INTO follows_follow (uuid,created_at,updated_at,follower_id,followee_id)
SELECT gen_random_uuid(), now(), now(), v.base + 1, v.base + 100 + g * 37
FROM v, generate_series(1,5) g
UNION ALL
SELECT gen_random_uuid(), now(), now(), v.base + 2, v.base + 10 + g * 31
FROM v, generate_series(1,300) g;
WITH v AS (SELECT min(id) AS base FROM accounts_user)
INSERT INTO follows_follow (uuid,created_at,updated_at,follower_id,followee_id)
SELECT gen_random_uuid(), now(), now(), f, t FROM (
  SELECT DISTINCT v.base + 3 + (g % ({users} - 3)) AS f,
    v.base + ((g::bigint * 104729) % {users}) AS t
  FROM v, generate_series(1, {users} * 10) g) s
WHERE f <> t ON CONFLICT DO NOTHING;
UPDATE accounts_user u SET following_count = c
FROM (SELECT follower_id, count(*) c FROM follows_follow GROUP BY 1) s WHERE s.follower_id = u.id;
ANALYZE;
"""  # noqa: S608 (generated data; the only inputs are the two integers above)
    psql(db, sql)


def measure(db: str, rounds: int) -> list[dict[str, object]]:
    os.environ.update(
        DEBUG="true",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        DATABASE_POOL_MAX_SIZE="0",
        DJANGO_SETTINGS_MODULE="tangerine.config.settings",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection

    from tangerine.accounts.models import User
    from tangerine.posts import selectors

    base = User.objects.order_by("id").values_list("id", flat=True).first()
    viewers = {"follows none": base, "follows 5": base + 1, "follows 300": base + 2}
    viewers["follows ~10"] = base + 500
    plans = {"old (OR EXISTS)": -1, "new": selectors.FEED_BY_AUTHOR_MAX_FOLLOWING}
    rows = []
    for label, pk in viewers.items():
        viewer = User.objects.get(pk=pk)
        sqls = {}
        for plan, limit in plans.items():
            selectors.FEED_BY_AUTHOR_MAX_FOLLOWING = limit
            sqls[plan] = selectors.post_list_for_feed(viewer=viewer)[:21].query.sql_with_params()
        selectors.FEED_BY_AUTHOR_MAX_FOLLOWING = plans["new"]
        times: dict[str, list[float]] = {plan: [] for plan in plans}
        buffers: dict[str, str] = {}
        with connection.cursor() as cursor:
            for plan, (sql, params) in sqls.items():
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan_lines = [r[0] for r in cursor.fetchall()]
                buffers[plan] = next(
                    (line.split("hit=")[1].split()[0] for line in plan_lines if "hit=" in line), "?"
                )
            for _ in range(rounds):
                for plan, (sql, params) in sqls.items():
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    times[plan].append((time.perf_counter() - started) * 1000)
        row: dict[str, object] = {"viewer": label, "following": viewer.following_count}
        for plan in plans:
            row[f"{plan} p50 ms"] = round(statistics.median(times[plan]), 2)
            row[f"{plan} buffers"] = buffers[plan]
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="tangerine_bench_feed")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    args = parser.parse_args()
    if not args.reuse:
        build(args.db, args.users, args.posts)
    rows = measure(args.db, args.rounds)
    load = os.getloadavg()[0]
    keys = list(rows[0])
    print(f"posts={args.posts} users={args.users} load average {load:.1f}")
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))
    out = Path(os.environ.get("BENCH_FEED_OUT") or Path(__file__).with_name("results.json"))
    out.write_text(json.dumps({"posts": args.posts, "load": load, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
