"""Periodic work of the products app (found by ``core.tasks``' discovery of apps' ``tasks``)."""

from __future__ import annotations

from django.conf import settings

from tangerine.core.tasks import periodic


@periodic(every=max(settings.LINK_CHECK_EVERY, 1))
def link_checks_sweep() -> int:
    """Re-check the store links that are due (``products.linkcheck``); 0 when turned off."""
    if not settings.LINK_CHECK_EVERY:
        return 0
    from tangerine.products.linkcheck import link_checks_run

    return link_checks_run()
