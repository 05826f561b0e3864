"""What a served process does once it has loaded what it keeps for its whole life.

Everything a process holds by then (modules, settings, URL patterns, search copies) lives as
long as the process; Python's collector would still walk it in every full collection: 240-380 ms
over ~240k objects in a search process at 100k items on the 2-core machine, landing inside a
request or between a chat message's frames now and then. ``settle_collector`` collects once,
moves all of it out of the collector's reach (``gc.freeze``) and makes the youngest generation
wait for more allocations (``GC_THRESHOLD``). ``config/asgi.py`` settles a served process at
start (``GC_SETTLE_AT_START``), or the search start-up does once its copies are loaded
(``search/startup.py``); management commands and the test suite never do.
"""

from __future__ import annotations

import gc

# The collector's thresholds once settled (Python's default: 700, 10, 10). A search request
# leaves ~3,300 objects in reference cycles (serializer fields and their parents, model
# instances, querysets); collected every 700 allocations, they were still alive at most
# collections, so they aged into the oldest generation, and with the long-lived objects
# frozen every tenth middle collection became a full one over ~50k dead objects: a 50-170 ms
# pause inside one request in about 15 (bench/search/README.md, "Round 5"). Collecting the
# youngest generation every 20,000 allocations lets most of them die young instead.
GC_THRESHOLD = (20_000, 10, 10)


def settle_collector() -> int:
    """Collect, freeze what is left and raise the thresholds; returns how many objects are
    frozen."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    return gc.get_freeze_count()
