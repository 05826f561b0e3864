"""Store-link health and price tracking against local store servers (products.linkcheck)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.notifications.models import Notification
from tangerine.products import hooks
from tangerine.products.linkcheck import (
    BROKEN_AFTER_FAILURES,
    link_check_product,
    link_checks_run,
    products_due,
)
from tangerine.products.models import LinkCheck, Product, StoreHost
from tangerine.products.preview.parse import availability_of, extract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def offer_page(price: str, availability: str = "https://schema.org/InStock") -> bytes:
    return (
        '<html><head><script type="application/ld+json">{"@type": "Product", "name": "감귤 5kg",'
        f' "offers": {{"@type": "Offer", "price": "{price}", "priceCurrency": "KRW",'
        f' "availability": "{availability}"}}}}</script></head><body></body></html>'
    ).encode()


def make_user(handle: str, **fields: Any) -> User:
    return UserFactory.create(handle=handle, **fields)


class _Store(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        server: Any = self.server
        server.hits.append(self.path)
        status, body, headers = server.routes.get(self.path, (404, b"", {}))
        content_type = headers.pop("Content-Type", "text/html; charset=utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def store(settings: Any) -> Iterator[Any]:
    settings.PREVIEW_ALLOW_LOOPBACK = True
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    server.daemon_threads = True
    server.routes = {}
    server.hits = []
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def seller() -> User:
    return make_user("seller")


def make_product(owner: User, link: str, **fields: Any) -> Product:
    return Product.objects.create(
        owner=owner, name="감귤 5kg", price=fields.pop("price", 12000), link=link, **fields
    )


@pytest.fixture
def changes() -> Iterator[list[hooks.StoreLinkChanged]]:
    seen: list[hooks.StoreLinkChanged] = []
    hooks.store_link_changed.connect(seen.append)
    try:
        yield seen
    finally:
        hooks.store_link_changed.receivers.remove(seen.append)


def test_a_page_that_matches_is_ok_and_records_the_store_state(store: Any, seller: User) -> None:
    store.routes["/p"] = (200, offer_page("12,000"), {})
    product = make_product(seller, f"{store.base}/p")
    check = link_check_product(product=product)
    product.refresh_from_db()
    assert check.status == product.link_status == "ok"
    assert (product.store_price, product.store_currency) == (12000, "KRW")
    assert product.store_availability == "in_stock"
    assert product.link_checked_at is not None
    assert check.http_status == 200


def test_a_redirect_to_another_page_is_redirected_with_the_final_address(
    store: Any, seller: User
) -> None:
    store.routes["/old"] = (301, b"", {"Location": "/new"})
    store.routes["/new"] = (200, offer_page("12000"), {})
    product = make_product(seller, f"{store.base}/old")
    check = link_check_product(product=product)
    assert check.status == "redirected"
    assert check.final_url == f"{store.base}/new"


def test_a_redirect_that_keeps_the_page_is_ok(store: Any, seller: User) -> None:
    store.routes["/p"] = (301, b"", {"Location": "/p/"})
    store.routes["/p/"] = (200, offer_page("12000"), {})
    product = make_product(seller, f"{store.base}/p")
    assert link_check_product(product=product).status == "ok"


def test_a_gone_page_is_broken_at_once_and_the_seller_is_told_once(
    store: Any,
    seller: User,
    changes: list[hooks.StoreLinkChanged],
    django_capture_on_commit_callbacks: Any,
) -> None:
    store.routes["/gone"] = (410, b"gone", {})
    product = make_product(seller, f"{store.base}/gone")
    with django_capture_on_commit_callbacks(execute=True):
        link_check_product(product=product)
    product.refresh_from_db()
    assert product.link_status == "broken"
    assert [c.issues for c in changes] == [("link",)]
    with django_capture_on_commit_callbacks(execute=True):
        link_check_product(product=product)  # still broken: nothing new to say
    assert len(changes) == 1


def test_a_store_price_change_and_sold_out_are_issues(
    store: Any,
    seller: User,
    changes: list[hooks.StoreLinkChanged],
    django_capture_on_commit_callbacks: Any,
) -> None:
    store.routes["/p"] = (200, offer_page("13000"), {})
    product = make_product(seller, f"{store.base}/p")
    with django_capture_on_commit_callbacks(execute=True):
        link_check_product(product=product)
    assert [c.issues for c in changes] == [("price",)]
    product.refresh_from_db()
    assert product.store_price == 13000

    # The seller takes the one-tap fix: the issue is gone, a later identical check says nothing.
    Product.objects.filter(pk=product.pk).update(price=13000)
    product.refresh_from_db()
    store.routes["/p"] = (200, offer_page("13000", "https://schema.org/OutOfStock"), {})
    with django_capture_on_commit_callbacks(execute=True):
        link_check_product(product=product)
    assert [c.issues for c in changes] == [("price",), ("stock",)]


def test_notification_reaches_the_seller(
    store: Any, seller: User, django_capture_on_commit_callbacks: Any
) -> None:
    store.routes["/p"] = (200, offer_page("9900"), {})
    product = make_product(seller, f"{store.base}/p")
    with django_capture_on_commit_callbacks(execute=True):
        link_check_product(product=product)
    note = Notification.objects.get(recipient=seller, kind="store_link")
    assert note.target_uuid == product.uuid
    assert note.actor is None


def test_timeouts_and_server_errors_are_unknown_until_three_in_a_row(
    store: Any, seller: User
) -> None:
    store.routes["/p"] = (503, b"busy", {})
    product = make_product(seller, f"{store.base}/p")
    statuses = []
    for _ in range(BROKEN_AFTER_FAILURES):
        statuses.append(link_check_product(product=product).status)
        product.refresh_from_db()
    assert statuses == ["unknown"] * (BROKEN_AFTER_FAILURES - 1) + ["broken"]
    store.routes["/p"] = (200, offer_page("12000"), {})
    assert link_check_product(product=product).status == "ok"
    product.refresh_from_db()
    assert product.link_failures == 0


def test_a_failing_host_backs_off_and_is_skipped_until_then(store: Any, seller: User) -> None:
    store.routes["/p"] = (503, b"busy", {})
    product = make_product(seller, f"{store.base}/p")
    link_check_product(product=product)
    host = StoreHost.objects.get(name="127.0.0.1")
    assert host.failures == 1
    assert host.next_attempt_at is not None
    assert host.next_attempt_at > timezone.now() + timedelta(minutes=50)
    other = make_product(seller, f"{store.base}/other")
    assert other not in products_due(limit=10)
    StoreHost.objects.update(next_attempt_at=None)
    assert other in products_due(limit=10)


def test_private_addresses_are_broken_without_a_request(seller: User, settings: Any) -> None:
    settings.PREVIEW_ALLOW_LOOPBACK = False
    product = make_product(seller, "http://10.1.2.3/item")
    check = link_check_product(product=product)
    assert (check.status, check.error) == ("broken", "blocked_address")


def test_robots_disallow_is_honoured(store: Any, seller: User) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    store.routes["/robots.txt"] = (200, robots, {"Content-Type": "text/plain"})
    store.routes["/private/p"] = (200, offer_page("1"), {})
    store.routes["/public/p"] = (200, offer_page("12000"), {})
    blocked = make_product(seller, f"{store.base}/private/p")
    allowed = make_product(seller, f"{store.base}/public/p")
    check = link_check_product(product=blocked)
    assert (check.status, check.error) == ("unknown", "robots_disallowed")
    assert "/private/p" not in store.hits
    assert link_check_product(product=allowed).status == "ok"
    # robots.txt is read once for both.
    assert store.hits.count("/robots.txt") == 1


def test_the_sweep_checks_each_product_at_most_once_a_day(
    store: Any, seller: User, settings: Any
) -> None:
    settings.LINK_CHECK_PER_HOST = 2
    store.routes["/p"] = (200, offer_page("12000"), {})
    products = [make_product(seller, f"{store.base}/p") for _ in range(3)]
    assert link_checks_run(limit=10) == 2  # the per-host cap
    assert link_checks_run(limit=10) == 1  # the third
    assert link_checks_run(limit=10) == 0  # checked today: nothing due
    assert LinkCheck.objects.filter(product__in=products).count() == 3
    Product.objects.update(link_checked_at=timezone.now() - timedelta(days=2))
    assert link_checks_run(limit=10) == 2


def test_hidden_products_are_not_checked(store: Any, seller: User) -> None:
    store.routes["/p"] = (200, offer_page("12000"), {})
    make_product(seller, f"{store.base}/p", hidden_at=timezone.now())
    assert link_checks_run(limit=10) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://schema.org/InStock", "in_stock"),
        ("http://schema.org/OutOfStock", "out_of_stock"),
        ("SoldOut", "out_of_stock"),
        ("oos", "out_of_stock"),
        ("in stock", "in_stock"),
        ("whatever", None),
        (None, None),
        (3, None),
    ],
)
def test_availability_words(value: Any, expected: str | None) -> None:
    assert availability_of(value) == expected


def test_open_graph_availability_is_read() -> None:
    page = '<meta property="product:availability" content="out of stock">'
    assert extract(page, base_url="https://s.example/")["availability"] == "out_of_stock"


# --- the API: GET /api/products/{uuid}/link-checks/ ---


def test_owner_and_staff_read_the_checks_others_get_404(
    store: Any, seller: User, as_user: Callable[[User], APIClient]
) -> None:
    store.routes["/p"] = (200, offer_page("13000"), {})
    product = make_product(seller, f"{store.base}/p")
    link_check_product(product=product)
    url = f"/api/products/{product.uuid}/link-checks/"
    body = as_user(seller).get(url).json()
    assert [c["status"] for c in body["results"]] == ["ok"]
    assert body["results"][0]["store_price"] == 13000
    staff = make_user("staffer", is_staff=True)
    assert as_user(staff).get(url).status_code == 200
    assert as_user(make_user("stranger")).get(url).status_code == 404
    assert APIClient().get(url).status_code in {401, 404}
    assert as_user(seller).get("/api/products/not-a-uuid/link-checks/").status_code == 404


def test_the_product_shows_its_store_check_to_buyers(
    store: Any, seller: User, as_user: Callable[[User], APIClient]
) -> None:
    store.routes["/p"] = (200, offer_page("13000"), {})
    product = make_product(seller, f"{store.base}/p")
    link_check_product(product=product)
    body = as_user(make_user("buyer")).get(f"/api/products/{product.uuid}/").json()
    assert body["store_check"]["issues"] == ["price"]
    assert body["store_check"]["store_price"] == 13000
    assert body["store_check"]["link_status"] == "ok"


def test_the_command_checks_one_product_or_what_is_due(store: Any, seller: User) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    store.routes["/p"] = (200, offer_page("13000"), {})
    product = make_product(seller, f"{store.base}/p")
    out = StringIO()
    call_command("check_store_links", "--product", str(product.uuid), stdout=out)
    assert "ok (issues: price)" in out.getvalue()
    call_command("check_store_links", stdout=out)
    assert "Checked 0 store link(s)." in out.getvalue()  # checked today already
    with pytest.raises(CommandError):
        call_command("check_store_links", "--product", "nope")
