"""An older commit's search request path beside the current one, in the same process.

`swap(rev)` loads that commit's `search/selectors/query.py`, `search/selectors/expand.py` and
the search of `integrations/vector_mirror.py` from git (everything else stays shared, the
embedder too; BM25 from the postings copy if that commit had one (search/postings.py), else in
SQL as it was then; the tie order of the fusion is the current one) and returns a function
that switches the running process between "old" and "new"; speed.py and relevance.py use it to
measure both paths on one index, at the same moment.

The old path calls the shared embedder as that commit did: one query embedding, then the
expansion's, in turn.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from tangerine.integrations import vector_mirror
from tangerine.search import selectors
from tangerine.search.selectors import query as selectors_query

ROOT = Path(__file__).resolve().parents[2]


def module_at(rev: str, path: str, name: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)  # noqa: S102
    return module


def exists_at(rev: str, path: str) -> bool:
    return (
        subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=ROOT, check=False).returncode
        == 0
    )


def swap(rev: str) -> Callable[[str], None]:
    """``set_mode("old")`` / ``set_mode("new")``: which request path the API runs."""
    old_query = module_at(rev, "src/tangerine/search/selectors/query.py", "old_search_query")
    if exists_at(rev, "src/tangerine/search/selectors/expand.py"):
        # The old path's query expansion (synonyms, spelling) with its own vocabulary tables.
        old_query.expand = module_at(
            rev, "src/tangerine/search/selectors/expand.py", "old_search_expand"
        )
    old_postings = exists_at(rev, "src/tangerine/search/postings.py")
    # Equal fused scores are ordered by kind and id since round 4 (selectors/query.py); before,
    # the last bits of SQL-summed BM25 decided (2-3 of 20 first pages at 100k differed between
    # the paths for that alone). The formula is otherwise unchanged since d1b38b4, so the old
    # path gets the same tie order: its pages then differ only by what else changed.
    old_query.joint_scores = selectors_query.joint_scores
    old_mirror = module_at(rev, "src/tangerine/integrations/vector_mirror.py", "old_mirror")
    paths = {
        "old": (
            old_query.search,
            old_mirror._KindTable.search,
            old_postings and getattr(settings, "SEARCH_POSTINGS_CACHE", False),
        ),
        "new": (
            selectors.search,
            vector_mirror._KindTable.search,
            getattr(settings, "SEARCH_POSTINGS_CACHE", False),
        ),
    }

    def set_mode(mode: str) -> None:
        search, table_search, postings_copy = paths[mode]
        selectors.search = search
        vector_mirror._KindTable.search = table_search  # type: ignore[method-assign]
        settings.SEARCH_POSTINGS_CACHE = postings_copy

    return set_mode
