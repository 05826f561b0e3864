"""PostgreSQL plans a page's query once per connection, not once per request (issue 17): the
parameters travel apart from the SQL (psycopg's server-side binding), so one query shape is one
statement text, which psycopg prepares on its connection after 5 runs. Every viewer's page is
still their own: the viewer is a parameter of the prepared statement, not part of its text."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import PostLike
from tests.core.test_hardening_settings import PRODUCTION, _python
from tests.factories import make_post

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_page_query_is_prepared_once_and_answers_each_viewer(alice: User, bob: User) -> None:
    posts = [make_post(alice, text=f"감귤 {i}") for i in range(3)]
    PostLike.objects.create(post=posts[0], user=bob)
    as_alice, as_bob = APIClient(), APIClient()
    as_alice.force_authenticate(alice)
    as_bob.force_authenticate(bob)
    answers = []
    for _ in range(4):  # 8 runs of the page query, on the test's one connection
        for client in (as_alice, as_bob):
            response = client.get("/api/posts/latest/")
            assert response.status_code == 200
            answers.append([post["liked"] for post in response.data["results"]])
    # alice liked nothing; bob liked the oldest (last) post: the viewer is a parameter.
    assert answers == [[False, False, False], [False, False, True]] * 4
    page_queries = [s for s in _prepared() if 'FROM "posts_post"' in s and "$1" in s]
    assert page_queries, _prepared()


def test_server_side_binding_can_be_turned_off() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {}), default=str))"
    )
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "DATABASE_POOL_MAX_SIZE": "0"}
    on = _python(code, **PRODUCTION, **url)
    off = _python(code, **PRODUCTION, **url, DATABASE_SERVER_SIDE_BINDING="false")
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert json.loads(on.stdout.splitlines()[-1]) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    assert json.loads(off.stdout.splitlines()[-1]) == {}
    sqlite = _python(code, **PRODUCTION, DATABASE_URL="sqlite:////tmp/never-opened.sqlite3")
    assert "server_side_binding" not in sqlite.stdout, sqlite.stderr
