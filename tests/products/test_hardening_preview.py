"""Link previews under hostile pages: odd charsets, deep JSON-LD, absurd prices, slow servers.

Each case answered 500 (or held a request for over a minute) before; now each is a clear 4xx or
a graceful preview with nothing found.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.products.preview.parse import to_minor_units

pytestmark = pytest.mark.django_db

PREVIEW = "/api/products/preview/"
DEEP = 100_000

PAGES: dict[str, tuple[str, bytes]] = {
    "/idna-header": ("text/html; charset=idna", b"<html><title>IDNA page</title></html>"),
    "/idna-meta": (
        "text/html",
        b'<html><head><meta charset="idna"><title>Meta IDNA</title></head></html>',
    ),
    "/punycode": ("text/html; charset=punycode", b"<html><title>Puny</title></html>"),
    "/rot13": ("text/html; charset=rot13", b"<html><title>Rot</title></html>"),
    "/deep-jsonld": (
        "text/html",
        b'<html><head><title>Deep</title><script type="application/ld+json">'
        + b"[" * DEEP
        + b"]" * DEEP
        + b"</script></head></html>",
    ),
    "/big-price": (
        "text/html",
        b'<html><head><title>Big</title><script type="application/ld+json">'
        b'{"@type": "Product", "name": "Gold", "offers": {"price": "'
        + b"9" * 31
        + b'", "priceCurrency": "KRW"}}</script></head></html>',
    ),
    "/big-price-og": (
        "text/html",
        b'<html><head><meta property="og:title" content="Gold OG">'
        b'<meta property="product:price:amount" content="'
        + b"1" * 40
        + b'.5"><meta property="product:price:currency" content="USD"></head></html>',
    ),
}


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        content_type, body = PAGES.get(self.path, ("text/html", b"<html></html>"))
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def client(as_user: Callable[[User], APIClient], alice: User, settings: Any) -> APIClient:
    settings.PREVIEW_ALLOW_LOOPBACK = True
    return as_user(alice)


def _preview(client: APIClient, url: str) -> Any:
    return client.post(PREVIEW, {"url": url}, format="json")


@pytest.mark.parametrize("path", ["/idna-header", "/idna-meta", "/punycode", "/rot13"])
def test_a_page_declaring_a_non_text_charset_is_read_as_utf8(
    client: APIClient, pages: str, path: str
) -> None:
    response = _preview(client, pages + path)
    assert response.status_code == 200, response.content
    assert response.json()["title"]


def test_deeply_nested_json_ld_is_skipped_not_a_500(client: APIClient, pages: str) -> None:
    response = _preview(client, pages + "/deep-jsonld")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Deep"  # the <title> fallback still works


@pytest.mark.parametrize(("path", "title"), [("/big-price", "Gold"), ("/big-price-og", "Gold OG")])
def test_a_price_of_thirty_digits_is_no_price(
    client: APIClient, pages: str, path: str, title: str
) -> None:
    response = _preview(client, pages + path)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == title
    assert response.json()["price"] is None
    assert response.json()["currency"] is None


@pytest.mark.parametrize(
    "amount", ["9" * 30, "9" * 31 + ".99", "1" * 5000, 1e30, float("inf"), float("nan")]
)
def test_to_minor_units_refuses_absurd_amounts(amount: Any) -> None:
    assert to_minor_units(amount, "USD") == (None, None)


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/", "https://[zz::1]/"])
def test_broken_links_are_a_400_for_the_preview_and_the_product(
    client: APIClient, url: str
) -> None:
    response = _preview(client, url)
    assert response.status_code == 400, response.content
    response = client.post(
        "/api/products/", {"name": "Bag", "price": 100, "link": url}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "link" in response.json()["fields"]


def test_a_product_price_of_thirty_digits_is_a_field_error(client: APIClient) -> None:
    for price in (int("9" * 31), "9" * 31, "9" * 31 + ".5", 1e31):
        response = client.post(
            "/api/products/",
            {"name": "Bag", "price": price, "link": "https://example.com/bag"},
            format="json",
        )
        assert response.status_code == 400, (price, response.content)
        assert "price" in response.json()["fields"]


# --- the total deadline -----------------------------------------------------------------------


class _Drip:
    """A server that sends its status line, then one header line every ``interval`` seconds."""

    def __init__(self, interval: float, lines: int) -> None:
        self.interval = interval
        self.lines = lines
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                for i in range(self.lines):
                    if self.stop.wait(self.interval):
                        return
                    conn.sendall(f"X-Drip-{i}: x\r\n".encode())
                conn.sendall(b"Content-Length: 13\r\n\r\n<html></html>")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_dripping_headers_is_cut_at_the_total_deadline(
    client: APIClient, settings: Any
) -> None:
    settings.PREVIEW_TOTAL_TIMEOUT = 1.0
    # One header line every 0.3 s for 12 s: every single read is quick, the whole is not.
    drip = _Drip(interval=0.3, lines=40)
    try:
        started = time.monotonic()
        response = _preview(client, f"http://127.0.0.1:{drip.port}/slow")
        elapsed = time.monotonic() - started
    finally:
        drip.close()
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "timeout"
    assert elapsed < 2.0, elapsed


def test_a_server_dripping_its_body_is_cut_at_the_total_deadline(
    client: APIClient, settings: Any
) -> None:
    settings.PREVIEW_TOTAL_TIMEOUT = 1.0

    def serve(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n"
                )
                for _ in range(40):
                    time.sleep(0.3)
                    conn.sendall(b"<")
            except OSError:
                return

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def accept() -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        serve(conn)

    threading.Thread(target=accept, daemon=True).start()
    try:
        started = time.monotonic()
        response = _preview(client, f"http://127.0.0.1:{sock.getsockname()[1]}/slow-body")
        elapsed = time.monotonic() - started
    finally:
        sock.close()
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "timeout"
    assert elapsed < 2.0, elapsed
