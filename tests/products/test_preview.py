"""Link previews against a local HTTP server, and the outbound-request defences."""

from __future__ import annotations

import gzip
import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.products.preview.fetch import address_allowed
from tangerine.products.preview.parse import to_minor_units

pytestmark = pytest.mark.django_db

PREVIEW = "/api/products/preview/"

JSONLD_PAGE = """<!doctype html><html><head><title>Ignored title</title>
<meta property="og:title" content="Ignored OG title">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Example Store"},
 {"@type": "Product", "name": "제주 감귤 5kg &amp; more", "image": ["/img/tangerine.jpg"],
  "offers": {"@type": "Offer", "price": "24900", "priceCurrency": "KRW"}}]}</script>
</head><body>hello</body></html>"""

OG_PAGE = """<html><head><title>Page title</title>
<meta property="og:title" content="Linen tote bag">
<meta property="og:image" content="https://cdn.example.com/tote.jpg">
<meta property="product:price:amount" content="19.99">
<meta property="product:price:currency" content="USD">
</head><body></body></html>"""

TITLE_PAGE = "<html><head><title>\n  Just a   title  </title></head><body></body></html>"
EMPTY_PAGE = "<html><head></head><body>nothing here</body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        address = self.server.server_address
        assert isinstance(address, tuple)
        port = address[1]
        path = self.path
        self.server.seen.append((path, self.headers.get("Host")))  # type: ignore[attr-defined]
        if path == "/jsonld":
            self._send(200, JSONLD_PAGE.encode())
        elif path == "/og":
            self._send(200, OG_PAGE.encode())
        elif path == "/title":
            self._send(200, TITLE_PAGE.encode())
        elif path == "/empty":
            self._send(200, EMPTY_PAGE.encode())
        elif path == "/euckr":
            body = "<html><head><title>감귤 선물세트</title></head></html>".encode("euc-kr")
            self._send(200, body, "text/html; charset=euc-kr")
        elif path == "/gzip":
            self._send(200, gzip.compress(OG_PAGE.encode()), headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-bomb":
            bomb = gzip.compress(b"<html>" + b" " * (20 * 1024 * 1024))
            self._send(200, bomb, headers={"Content-Encoding": "gzip"})
        elif path == "/redirect-ok":
            self._send(302, b"", headers={"Location": "/jsonld"})
        elif path == "/redirect-absolute":
            self._send(301, b"", headers={"Location": f"http://127.0.0.1:{port}/og"})
        elif path == "/redirect-private":
            self._send(302, b"", headers={"Location": "http://10.0.0.1/admin"})
        elif path == "/redirect-metadata":
            self._send(307, b"", headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path.startswith("/loop"):
            n = int(path.removeprefix("/loop") or 0)
            self._send(302, b"", headers={"Location": f"/loop{n + 1}"})
        elif path == "/huge":
            # No Content-Length: the cap must hold while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(64):  # 4 MB
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/huge-declared":
            self._send(200, b"<html>" + b" " * (2 * 1024 * 1024))
        elif path == "/json":
            self._send(200, json.dumps({"name": "x"}).encode(), "application/json")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif path == "/missing":
            self._send(404, b"<html><title>Not found</title></html>")
        elif path == "/slow":
            time.sleep(2.5)
            self._send(200, TITLE_PAGE.encode())
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def store() -> Iterator[Any]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def base(store: Any, settings: Any) -> str:
    settings.PREVIEW_ALLOW_LOOPBACK = True
    return f"http://127.0.0.1:{store.server_address[1]}"


@pytest.fixture
def client(as_user: Callable[[User], APIClient], alice: User) -> APIClient:
    return as_user(alice)


def _preview(client: APIClient, url: str) -> Any:
    return client.post(PREVIEW, {"url": url}, format="json")


def test_json_ld_product_wins(client: APIClient, base: str) -> None:
    response = _preview(client, f"{base}/jsonld")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "title": "제주 감귤 5kg & more",
        "price": 24900,
        "currency": "KRW",
        "image": f"{base}/img/tangerine.jpg",
        "url": f"{base}/jsonld",
    }


def test_opengraph_when_there_is_no_json_ld(client: APIClient, base: str) -> None:
    body = _preview(client, f"{base}/og").json()
    assert body == {
        "title": "Linen tote bag",
        "price": 1999,
        "currency": "USD",
        "image": "https://cdn.example.com/tote.jpg",
        "url": f"{base}/og",
    }


def test_title_tag_as_the_last_resort(client: APIClient, base: str) -> None:
    body = _preview(client, f"{base}/title").json()
    assert (body["title"], body["price"], body["currency"], body["image"]) == (
        "Just a title",
        None,
        None,
        None,
    )


def test_declared_charset_and_gzip_bodies_are_read(client: APIClient, base: str) -> None:
    assert _preview(client, f"{base}/euckr").json()["title"] == "감귤 선물세트"
    assert _preview(client, f"{base}/gzip").json()["price"] == 1999


def test_redirects_are_followed_and_the_final_url_returned(
    client: APIClient, base: str, store: Any
) -> None:
    assert _preview(client, f"{base}/redirect-ok").json()["url"] == f"{base}/jsonld"
    assert _preview(client, f"{base}/redirect-absolute").json()["title"] == "Linen tote bag"
    port = store.server_address[1]
    assert ("/jsonld", f"127.0.0.1:{port}") in store.seen  # the Host header keeps the name


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/redirect-private", 400, "blocked_address"),
        ("/redirect-metadata", 400, "blocked_address"),
        ("/loop", 422, "too_many_redirects"),
        ("/huge", 422, "page_too_large"),
        ("/huge-declared", 422, "page_too_large"),
        ("/gzip-bomb", 422, "page_too_large"),
        ("/json", 422, "not_html"),
        ("/image", 422, "not_html"),
        ("/missing", 422, "upstream_status"),
        ("/empty", 422, "no_preview"),
    ],
)
def test_unreadable_or_unsafe_pages_are_clear_4xx(
    client: APIClient, base: str, path: str, status: int, code: str
) -> None:
    response = _preview(client, f"{base}{path}")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_redirect_loops_stop_after_three_hops(client: APIClient, base: str, store: Any) -> None:
    store.seen.clear()
    _preview(client, f"{base}/loop")
    assert [p for p, _ in store.seen] == ["/loop", "/loop1", "/loop2", "/loop3"]


def test_slow_pages_time_out(client: APIClient, base: str, settings: Any) -> None:
    settings.PREVIEW_TOTAL_TIMEOUT = 1
    started = time.monotonic()
    response = _preview(client, f"{base}/slow")
    assert response.status_code == 422
    assert response.json()["code"] == "timeout"
    assert time.monotonic() - started < 2


def test_loopback_is_refused_without_the_setting(
    client: APIClient, store: Any, settings: Any
) -> None:
    settings.PREVIEW_ALLOW_LOOPBACK = False
    port = store.server_address[1]
    store.seen.clear()
    for url in (
        f"http://127.0.0.1:{port}/jsonld",
        f"http://localhost:{port}/jsonld",
        f"http://127.1:{port}/jsonld",
        f"http://[::1]:{port}/jsonld",
        f"http://0x7f000001:{port}/jsonld",
        f"http://2130706433:{port}/jsonld",
    ):
        response = _preview(client, url)
        assert response.status_code == 400, url
        assert response.json()["code"] == "blocked_address"
    assert store.seen == []  # never connected


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::]/",
        "http://[64:ff9b::a00:1]/",
    ],
)
def test_internal_addresses_are_refused_even_with_loopback_allowed(
    client: APIClient, base: str, url: str
) -> None:
    response = _preview(client, url)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] in {"blocked_address", "invalid_url"}


def test_a_name_resolving_to_any_private_address_is_refused(
    client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The system resolver is the one thing replaced: a name with one public and one private A.
    def fake_getaddrinfo(host: str, port: int, *args: Any) -> list[Any]:
        assert host == "shop.example.com"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    response = _preview(client, "https://shop.example.com/item/1")
    assert response.status_code == 400
    assert response.json()["code"] == "blocked_address"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://shop.example.com/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "https://user:secret@shop.example.com/",
        "https:///nohost",
        "http://shop.example.com:99999/",
        "not a url",
    ],
)
def test_bad_urls_are_400(client: APIClient, url: str) -> None:
    response = _preview(client, url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_url"


def test_preview_needs_login_a_url_and_is_rate_limited(
    anon: APIClient, client: APIClient, base: str, settings: Any
) -> None:
    assert _preview(anon, f"{base}/og").status_code == 401
    missing = client.post(PREVIEW, {}, format="json")
    assert missing.status_code == 400 and "url" in missing.json()["fields"]
    too_long = _preview(client, "https://shop.example.com/" + "a" * 1000)
    assert too_long.status_code == 400
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "product_preview": "2/60"}
    codes = [_preview(client, f"{base}/og").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize(
    ("address", "loopback", "allowed"),
    [
        ("93.184.216.34", False, True),
        ("2606:2800:220:1:248:1893:25c8:1946", False, True),
        ("127.0.0.1", False, False),
        ("127.0.0.1", True, True),
        ("::1", True, True),
        ("::ffff:127.0.0.1", True, False),
        ("10.0.0.1", True, False),
        ("100.100.100.100", True, False),
        ("169.254.1.1", True, False),
        ("255.255.255.255", True, False),
        ("2002:7f00:1::", True, False),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_address_rules(address: str, loopback: bool, allowed: bool) -> None:
    assert address_allowed(ipaddress.ip_address(address), allow_loopback=loopback) is allowed


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("12,900", "KRW", (12900, "KRW")),
        ("19.99", "usd", (1999, "USD")),
        (1450, "JPY", (1450, "JPY")),
        ("-5", "KRW", (None, None)),
        ("abc", "KRW", (None, None)),
        ("10", "XYZ", (None, None)),
        ("10", None, (None, None)),
        ("1e30", "KRW", (None, None)),
        ("₩12,900원", "KRW", (12900, "KRW")),
    ],
)
def test_prices_become_minor_units(amount: Any, currency: Any, expected: Any) -> None:
    assert to_minor_units(amount, currency) == expected
