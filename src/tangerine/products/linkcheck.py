"""Store-link health and price tracking: is the seller's store page still there, and does it
still say what our listing says?

A periodic job (``products.tasks.link_checks_sweep``) re-fetches store pages through the same
guarded fetcher as link previews (``preview.fetch``: public addresses only, hard deadline, size
cap). Rules of politeness:

- at most one fetch per product per ``LINK_CHECK_INTERVAL`` (a day), oldest check first;
- ``robots.txt`` is read once a day per host and a disallowed page is not fetched (the check is
  recorded as ``unknown``, ``robots_disallowed``);
- a host that times out, refuses (429, 5xx) or cannot be reached backs off exponentially
  (``StoreHost.next_attempt_at``: 1 h, 2 h, 4 h … a day) and at most
  ``LINK_CHECK_PER_HOST`` of its pages are fetched per sweep.

Each check stores a ``LinkCheck`` row and the product's latest state (``link_status``,
``link_checked_at``, ``store_price``, ``store_currency``, ``store_availability``). ``link_status``:

- ``ok``: the page answered 2xx at the stored address (or after redirects that kept the page);
- ``redirected``: it answered only after redirects to another page (the seller may update);
- ``broken``: 404/410, a refused address, a redirect loop, or three failed checks in a row;
- ``unknown``: not checked yet, or this check could not tell (timeout, 5xx, robots).

When a check newly finds something for the seller to fix (a broken link, a store price other than
ours, a store out of stock while we say on sale), ``hooks.store_link_changed`` is sent once; the
seller is notified and the product shows the fix until it matches again.
"""

from __future__ import annotations

import logging
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tangerine.products import hooks
from tangerine.products.models import LinkCheck, LinkStatus, Product, StoreHost
from tangerine.products.preview.fetch import USER_AGENT, PreviewError, fetch_html, fetch_text
from tangerine.products.preview.parse import extract

logger = logging.getLogger(__name__)

ROBOTS_TTL = timedelta(days=1)
BACKOFF_BASE = timedelta(hours=1)
BACKOFF_MAX = timedelta(days=1)
# Failed checks in a row (on different days) after which a link counts as broken.
BROKEN_AFTER_FAILURES = 3
_ROBOTS_TYPES = frozenset({"text/plain"})
# Failures that say something about the host rather than the page: back off from the host.
_HOST_TROUBLE = {"timeout", "fetch_failed"}


@dataclass(frozen=True)
class Outcome:
    status: str
    http_status: int | None = None
    final_url: str = ""
    error: str = ""
    price: int | None = None
    currency: str = ""
    availability: str = ""
    host_trouble: bool = False


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, (parts.netloc or "").lower()


def _same_page(a: str, b: str) -> bool:
    """Equal but for the fragment, a trailing slash, http→https or the host's case."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (
        (pa.hostname or "").lower() == (pb.hostname or "").lower()
        and pa.path.rstrip("/") == pb.path.rstrip("/")
        and pa.query == pb.query
    )


def _robots_allows(host: StoreHost, url: str) -> bool:
    """Whether ``robots.txt`` of the URL's host lets us fetch it (read at most once a day).

    An unreadable ``robots.txt`` (404, not text, a timeout) allows everything, as crawlers do.
    """
    now = timezone.now()
    if host.robots_fetched_at is None or now - host.robots_fetched_at > ROBOTS_TTL:
        scheme, netloc = _origin(url)
        try:
            host.robots_txt = fetch_text(
                urlunsplit((scheme, netloc, "/robots.txt", "", "")), types=_ROBOTS_TYPES
            ).text[:100_000]
        except PreviewError:
            host.robots_txt = ""
        host.robots_fetched_at = now
        host.save(update_fields=["robots_txt", "robots_fetched_at", "updated_at"])
    if not host.robots_txt:
        return True
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(host.robots_txt.splitlines())
    return parser.can_fetch(USER_AGENT.split("/", 1)[0], url)


def probe(url: str, host: StoreHost) -> Outcome:
    """Fetch the store page at ``url`` and say what it showed (no database writes but robots)."""
    if not _robots_allows(host, url):
        return Outcome(LinkStatus.UNKNOWN, error="robots_disallowed")
    try:
        page = fetch_html(url)
    except PreviewError as exc:
        code = str(exc.get_codes())
        upstream = exc.upstream_status
        if code == "upstream_status" and upstream in {404, 410}:
            return Outcome(LinkStatus.BROKEN, http_status=upstream, error=code)
        if code in {"blocked_address", "invalid_url", "too_many_redirects"}:
            return Outcome(LinkStatus.BROKEN, http_status=upstream, error=code)
        trouble = code in _HOST_TROUBLE or upstream == 429 or (upstream or 0) >= 500
        return Outcome(LinkStatus.UNKNOWN, http_status=upstream, error=code, host_trouble=trouble)
    found = extract(page.text, base_url=page.url)
    moved = page.hops > 0 and not _same_page(page.url, url)
    return Outcome(
        LinkStatus.REDIRECTED if moved else LinkStatus.OK,
        http_status=200,
        final_url=page.url,
        price=found["price"],
        currency=found["currency"] or "",
        availability=found["availability"] or "",
    )


def _host_for(url: str) -> StoreHost:
    name = (urlsplit(url).hostname or "").lower()
    host, _ = StoreHost.objects.get_or_create(name=name)
    return host


def link_check_product(*, product: Product) -> LinkCheck:
    """Check one product's store link now and record the result (see the module docstring)."""
    host = _host_for(product.link)
    outcome = probe(product.link, host)
    now = timezone.now()
    before = set(product.store_issues)
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        status = outcome.status
        failures = 0
        if status == LinkStatus.UNKNOWN:
            # robots.txt saying no is not a failure of the link; it neither counts nor resets.
            failed = outcome.error != "robots_disallowed"
            failures = locked.link_failures + (1 if failed else 0)
            if failed and failures >= BROKEN_AFTER_FAILURES:
                status = LinkStatus.BROKEN
        check = LinkCheck.objects.create(
            product=locked,
            url=locked.link,
            status=status,
            http_status=outcome.http_status,
            final_url=outcome.final_url[:1000],
            error=outcome.error,
            store_price=outcome.price,
            store_currency=outcome.currency,
            store_availability=outcome.availability,
        )
        locked.link_status = status
        locked.link_checked_at = now
        locked.link_failures = failures
        if outcome.status in {LinkStatus.OK, LinkStatus.REDIRECTED}:
            # What the page said this time; a page that stopped stating a price clears it.
            locked.store_price = outcome.price
            locked.store_currency = outcome.currency
            locked.store_availability = outcome.availability
        Product.objects.filter(pk=locked.pk).update(
            link_status=locked.link_status,
            link_checked_at=now,
            link_failures=failures,
            store_price=locked.store_price,
            store_currency=locked.store_currency,
            store_availability=locked.store_availability,
        )
        if outcome.host_trouble:
            host.failures += 1
            host.next_attempt_at = now + min(BACKOFF_BASE * 2 ** (host.failures - 1), BACKOFF_MAX)
        else:
            host.failures = 0
            host.next_attempt_at = None
        host.save(update_fields=["failures", "next_attempt_at", "updated_at"])
        new_issues = [issue for issue in locked.store_issues if issue not in before]
        if new_issues:
            payload = hooks.StoreLinkChanged(product_id=locked.pk, issues=tuple(new_issues))
            transaction.on_commit(lambda: hooks.store_link_changed.send(payload))
    return check


def products_due(*, now: datetime | None = None, limit: int) -> list[Product]:
    """Products whose link is due for a check, oldest check first, skipping backed-off hosts."""
    now = now or timezone.now()
    interval = timedelta(seconds=settings.LINK_CHECK_INTERVAL)
    waiting = set(StoreHost.objects.filter(next_attempt_at__gt=now).values_list("name", flat=True))
    due = (
        Product.objects.filter(hidden_at__isnull=True)
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lte=now - interval))
        .order_by("link_checked_at", "id")
    )
    picked: list[Product] = []
    per_host: dict[str, int] = {}
    # Read a few times the limit: backed-off and busy hosts are skipped in Python.
    for product in due[: limit * 5].iterator():
        name = (urlsplit(product.link).hostname or "").lower()
        if name in waiting or per_host.get(name, 0) >= settings.LINK_CHECK_PER_HOST:
            continue
        per_host[name] = per_host.get(name, 0) + 1
        picked.append(product)
        if len(picked) >= limit:
            break
    return picked


def link_checks_run(*, limit: int | None = None) -> int:
    """Check the links that are due (at most ``limit``, default ``LINK_CHECK_BATCH``)."""
    checked = 0
    for product in products_due(limit=limit or settings.LINK_CHECK_BATCH):
        try:
            link_check_product(product=product)
        except Exception:  # one bad page must not stop the sweep
            logger.exception("link check of product %s failed", product.pk)
            continue
        checked += 1
    return checked
