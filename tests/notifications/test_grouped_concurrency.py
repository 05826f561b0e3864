"""Fifty people like one post at the same moment: one grouped notification saying 50.

On PostgreSQL with real threads and transactions (the group row is locked with
``select_for_update``; two first likers racing to open the group meet at the unique constraint on
open groups, and the loser joins the winner's row). On SQLite in a subprocess with a file
database (the in-memory test database cannot serve threads): the production engine queues the
threads' writers, and the answer must be the same.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tangerine.accounts.models import User
from tangerine.notifications import selectors
from tangerine.notifications.models import Notification
from tangerine.posts import services as posts
from tests.factories import UserFactory, make_post

THREADS = 50
# At most this many at the same instant (two waves of 25 on PostgreSQL): 50 connections at once
# plus the other test worker's servers can pass PostgreSQL's default max_connections of 100.
AT_ONCE = 25
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _in_parallel(users: list[User], action: Callable[[User], object]) -> None:
    barrier = threading.Barrier(min(len(users), AT_ONCE))  # cyclic: one release per wave

    def run(user: User) -> None:
        try:
            barrier.wait(timeout=30)
            action(user)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=min(len(users), AT_ONCE)) as pool:
        for future in [pool.submit(run, user) for user in users]:
            future.result()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_likes_make_one_group_of_fifty_on_postgres() -> None:
    author = UserFactory.create()
    post = make_post(author)
    likers = [UserFactory.create() for _ in range(THREADS)]
    _in_parallel(likers, lambda u: posts.like_create(kind=posts.POST, user=u, target=post))
    rows = list(selectors.notification_list(recipient=author))
    assert len(rows) == 1
    assert rows[0].actor_count == THREADS  # type: ignore[attr-defined]
    assert rows[0].actor_rows.count() == THREADS
    # Read, then fifty more at once: a new unread group of fifty beside the read one.
    Notification.objects.update(read_at=rows[0].created_at)
    more = [UserFactory.create() for _ in range(THREADS)]
    _in_parallel(more, lambda u: posts.like_create(kind=posts.POST, user=u, target=post))
    unread = list(selectors.notification_list(recipient=author).filter(read_at__isnull=True))
    assert [r.actor_count for r in unread] == [THREADS]  # type: ignore[attr-defined]
    assert selectors.notification_unread_count(recipient=author) == 1


SQLITE_SCRIPT = """
import json, threading, django
from concurrent.futures import ThreadPoolExecutor
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from tangerine.notifications import selectors
from tangerine.posts import services as posts
from tests.factories import UserFactory, make_post
author = UserFactory.create()
post = make_post(author)
likers = [UserFactory.create() for _ in range({threads})]
barrier = threading.Barrier(len(likers))
def run(user):
    try:
        barrier.wait(timeout=30)
        posts.like_create(kind=posts.POST, user=user, target=post)
    finally:
        connection.close()
with ThreadPoolExecutor(max_workers=len(likers)) as pool:
    for future in [pool.submit(run, u) for u in likers]:
        future.result()
rows = list(selectors.notification_list(recipient=author))
print(json.dumps({{"rows": len(rows), "count": rows[0].actor_count if rows else 0,
    "unread": selectors.notification_unread_count(recipient=author),
    "vendor": connection.vendor}}))
"""


def test_fifty_simultaneous_likes_make_one_group_of_fifty_on_sqlite(tmp_path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TANGERINE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tangerine.config.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SQLITE_SCRIPT.format(threads=THREADS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"rows": 1, "count": THREADS, "unread": 1, "vendor": "sqlite"}
