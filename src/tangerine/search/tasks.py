"""Periodic work of the search app (found by ``core.tasks``' discovery of apps' ``tasks``)."""

from __future__ import annotations

from tangerine.core.tasks import periodic
from tangerine.search import sweep


@periodic(every=sweep.SWEEP_INTERVAL)
def vectors_sweep() -> None:
    """Index items that still lack a vector (a job lost with its process, a store outage)."""
    sweep.maybe_sweep(interval=0)
