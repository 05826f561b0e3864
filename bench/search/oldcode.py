"""An older commit's search request path beside the current one, in the same process.

`swap(rev)` loads that commit's `search/selectors/query.py` and the search of
`integrations/vector_mirror.py` from git (everything else stays shared; BM25 in SQL, as before
the postings copy; the tie order of the fusion is the current one) and returns a function
that switches the running process between "old" and "new"; speed.py and relevance.py use it to
measure both paths on one index, at the same moment.
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


def swap(rev: str) -> Callable[[str], None]:
    """``set_mode("old")`` / ``set_mode("new")``: which request path the API runs."""
    old_query = module_at(rev, "src/tangerine/search/selectors/query.py", "old_search_query")
    # Equal fused scores are ordered by kind and id since round 4 (selectors/query.py); before,
    # the last bits of SQL-summed BM25 decided (2-3 of 20 first pages at 100k differed between
    # the paths for that alone). The formula is otherwise unchanged since d1b38b4, so the old
    # path gets the same tie order: its pages then differ only by what else changed.
    old_query.joint_scores = selectors_query.joint_scores
    old_mirror = module_at(rev, "src/tangerine/integrations/vector_mirror.py", "old_mirror")
    paths = {
        "old": (old_query.search, old_mirror._KindTable.search, False),
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
        settings.SEARCH_POSTINGS_CACHE = postings_copy  # BM25 in SQL on the old path

    return set_mode
