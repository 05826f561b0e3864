"""The worker loop and the thread backend's periodic runner repair missing vectors by themselves
(``search/tasks.py`` registers the sweep with ``core.tasks.periodic``)."""

from __future__ import annotations

from typing import Any

import pytest

from tangerine.accounts.models import User
from tangerine.core import tasks
from tangerine.posts.models import Post
from tangerine.search import services, sweep

pytestmark = pytest.mark.usefixtures("search_backends")


def test_the_periodic_runner_indexes_posts_whose_jobs_were_lost(alice: User, settings: Any) -> None:
    settings.SEARCH_INDEX_SYNC = False  # created without index jobs, as if they were lost
    for i in range(3):
        Post.objects.create(author=alice, title=f"감귤 {i}", text=f"tangerine box {i}")
    settings.SEARCH_INDEX_SYNC = True
    assert services.missing_vector_count() == 3
    sweep._last_periodic = None
    ran = tasks.run_due_periodic(force=True)
    assert "tangerine.search.tasks.vectors_sweep" in ran
    assert services.missing_vector_count() == 0
