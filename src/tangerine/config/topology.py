"""Can this configuration run as several processes (``Procfile``: api x N, worker, web)?

The defaults run the product as one process on a laptop with nothing installed. Several of them
keep state inside one process or one file, which a second process cannot share; started that
way, the product half-works (a chat message reaches only the sockets of one API process, a
WebSocket ticket issued by one process is unknown to the next, a job is never run by the
worker). ``topology_problems`` names each such default with the variable that replaces it;
``manage.py check_prod_topology`` and ``make run-prod`` refuse to start while any is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

from tangerine.config.env import env_int


@dataclass(frozen=True)
class Problem:
    variable: str
    message: str

    def __str__(self) -> str:
        return f"{self.variable}: {self.message}"


def api_processes() -> int:
    """``API_PROCESSES``: uvicorn worker processes per API instance (Procfile ``api``; default 1).

    The setting when settings.py defines it, else the environment variable (same reader).
    """
    configured = getattr(django_settings, "API_PROCESSES", None)
    if isinstance(configured, int):
        return configured
    return env_int("API_PROCESSES", 1, minimum=1)


def topology_problems(*, settings: Any = None, processes: int | None = None) -> list[Problem]:
    """Every embedded default in ``settings`` that several processes cannot share."""
    s = settings if settings is not None else django_settings
    n = processes if processes is not None else api_processes()
    problems: list[Problem] = []

    engine = s.DATABASES["default"]["ENGINE"]
    if engine in ("django.db.backends.sqlite3", "tangerine.core.sqlite") and n > 1:
        problems.append(
            Problem(
                "DATABASE_URL",
                f"SQLite cannot serve {n} API processes (API_PROCESSES={n}) and a worker: one "
                "writer at a time for the whole file. Set DATABASE_URL=postgres://user@host:5432/"
                "db, or API_PROCESSES=1.",
            )
        )

    layer = str(s.CHANNEL_LAYERS.get("default", {}).get("BACKEND", ""))
    if layer == "channels.layers.InMemoryChannelLayer":
        problems.append(
            Problem(
                "CHANNEL_LAYER_URL",
                "the in-memory channel layer (memory://) reaches only the sockets of its own "
                "process: chat and notifications from the worker or another API process are "
                "lost. Set CHANNEL_LAYER_URL=redis://host:6379/1 or pulsar://host:6650.",
            )
        )

    cache = str(s.CACHES.get("default", {}).get("BACKEND", ""))
    if cache.endswith("LocMemCache"):
        problems.append(
            Problem(
                "CACHE_URL",
                "the in-process cache is not shared: a WebSocket ticket issued by one API "
                "process is unknown to another, and every process keeps its own rate limits. "
                "Set CACHE_URL=redis://host:6379/0.",
            )
        )

    if "://" not in str(s.MILVUS_URI):
        problems.append(
            Problem(
                "MILVUS_URI",
                f"a Milvus Lite file ({s.MILVUS_URI}) can be opened by one process only; the "
                "API processes and the worker all write the index. Set MILVUS_URI=http://host:"
                "19530 (a Milvus server, or `milvus-lite server` on one machine).",
            )
        )

    if s.TASKS_BACKEND != "database":
        problems.append(
            Problem(
                "TASKS_BACKEND",
                f"the {s.TASKS_BACKEND} job backend runs jobs inside the API process and loses "
                "them on restart; the worker would never see one. Set TASKS_BACKEND=database.",
            )
        )
    return problems
