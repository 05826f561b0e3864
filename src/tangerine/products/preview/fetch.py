"""A guarded outbound fetch for link previews (server-side request forgery defences).

- Only http and https URLs without credentials; the host is resolved by us and *every* address
  it resolves to must be public: private, loopback, link-local, multicast, unspecified,
  reserved, CGNAT (100.64/10), IPv4-mapped/6to4/Teredo/NAT64 IPv6 are all refused.
- We connect to that exact address (the Host header and TLS SNI/certificate check keep the
  name), so DNS cannot answer differently between the check and the connection, and the
  address actually connected is compared again from the socket.
- Redirects are followed by hand, at most ``MAX_REDIRECTS``, each hop checked like the first.
- Short timeouts (connect ``PREVIEW_CONNECT_TIMEOUT``; ``PREVIEW_TOTAL_TIMEOUT`` is a hard deadline
  over DNS, connect, TLS, headers and body: every socket operation gets only the time left),
  text/html only, at most ``PREVIEW_MAX_BYTES`` read (streamed; compressed bodies are inflated
  with the same cap), no proxies from the environment.

Failures are ``PreviewError``: 400 for a URL we will not fetch (``invalid_url``,
``blocked_address``), 422 for a page we could not read (``fetch_failed``, ``timeout``,
``upstream_status``, ``not_html``, ``page_too_large``, ``too_many_redirects``).
``PREVIEW_ALLOW_LOOPBACK`` (tests only) lets 127.0.0.0/8 and ::1 through, nothing else.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings
from rest_framework import exceptions

MAX_REDIRECTS = 3
USER_AGENT = "TangerineMarketPreview/1.0 (+https://tangerine.example/preview)"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="preview-dns")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PreviewError(exceptions.APIException):
    status_code = 422
    default_detail = "The page could not be previewed."
    default_code = "unreadable_page"
    # The store's own status code for ``upstream_status`` errors.
    upstream_status: int | None = None

    def __init__(self, detail: str, *, code: str, status: int = 422) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status


def _blocked(detail: str = "This address may not be fetched.") -> PreviewError:
    return PreviewError(detail, code="blocked_address", status=400)


def _invalid(detail: str) -> PreviewError:
    return PreviewError(detail, code="invalid_url", status=400)


def address_allowed(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """Whether an outbound preview may connect to ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Forms that smuggle an IPv4 destination are refused outright, whatever they carry.
        if ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None:
            return False
        if ip in _NAT64 or ip.is_site_local:
            return False
    if ip.is_loopback:
        return allow_loopback
    if ip.version == 4 and ip in _CGNAT:
        return False
    if ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False
    return ip.is_global


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # IDNA-encoded host name or address literal, as written in the URL
    port: int
    target: str  # path and query


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    # How many redirects were followed to reach ``url``.
    hops: int = 0


def parse_url(url: str) -> Target:
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid("This is not a valid link.") from None
    if parts.scheme not in {"http", "https"}:
        raise _invalid("Only http:// and https:// links can be previewed.")
    if not parts.hostname:
        raise _invalid("The link has no host.")
    if parts.username is not None or parts.password is not None:
        raise _invalid("Links with a user name or password are not previewed.")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise _invalid("The link's host name is not valid.") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default_port, target)


def _resolve(host: str, port: int, timeout: float) -> list[IPAddress]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [literal]
    future = _resolver.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except FutureTimeout:
        raise PreviewError(
            "Looking up the store's address took too long.", code="timeout"
        ) from None
    except (socket.gaierror, UnicodeError, OSError):
        raise PreviewError("The store's host name does not resolve.", code="fetch_failed") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise PreviewError("The store's host name does not resolve.", code="fetch_failed")
    return addresses


def _checked_address(target: Target, deadline: float) -> IPAddress:
    allow_loopback = settings.PREVIEW_ALLOW_LOOPBACK
    addresses = _resolve(target.host, target.port, max(0.1, deadline - time.monotonic()))
    # Every address must pass: a name that also points inside is refused, whichever we'd pick.
    if not all(address_allowed(ip, allow_loopback=allow_loopback) for ip in addresses):
        raise _blocked()
    return addresses[0]


def _charset(content_type: str, head: bytes) -> str:
    header = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if header:
        return header.group(1).lower()
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", head[:4096], re.IGNORECASE)
    name = meta.group(1).decode("ascii", "ignore") if meta else "utf-8"
    return name.lower()


# Codecs a page may not choose: not text encodings of the web (idna and punycode only decode
# host names, refuse errors="replace" and raise; the escape codecs and UTF-7 turn innocent bytes
# into markup). Anything else Python does not know as a text encoding falls back to UTF-8 too.
_REFUSED_CODECS = {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7"}


def _text_codec(name: str) -> str:
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return "utf-8"
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return "utf-8"
    return info.name


def _decode(body: bytes, content_type: str) -> str:
    charset = _text_codec(_charset(content_type, body))
    try:
        return body.decode(charset, errors="replace")
    except (LookupError, UnicodeError, ValueError):
        return body.decode("utf-8", errors="replace")


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    cap = settings.PREVIEW_MAX_BYTES
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise PreviewError(f"The page is larger than {cap} bytes.", code="page_too_large")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in {"identity", "", "gzip", "deflate", "x-gzip"}:
        raise PreviewError("The page uses an unsupported encoding.", code="fetch_failed")
    raw = bytearray()
    for chunk in response.iter_raw():
        raw.extend(chunk)
        if len(raw) > cap:
            raise PreviewError(f"The page is larger than {cap} bytes.", code="page_too_large")
        if time.monotonic() > deadline:
            raise PreviewError("The store took too long to answer.", code="timeout")
    if encoding in {"identity", ""}:
        return bytes(raw)
    # Inflate with the same cap, so a small compressed bomb cannot become a big body.
    inflater = zlib.decompressobj(wbits=47 if "gzip" in encoding else 15)
    try:
        body = inflater.decompress(bytes(raw), cap + 1)
    except zlib.error:
        raise PreviewError("The page's compressed body is damaged.", code="fetch_failed") from None
    if len(body) > cap:
        raise PreviewError(f"The page is larger than {cap} bytes.", code="page_too_large")
    return body


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by one deadline.

    httpx's timeouts apply per operation: a server sending one header line every 2.5 s never
    trips a 3 s read timeout and held a preview for 75 s. Here each operation gets at most the
    time left of the whole preview.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("The preview's total time is up.")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own backend, with every stream it opens bound to ``deadline``."""

    def __init__(self, inner: httpcore.NetworkBackend, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("The preview's total time is up.")
        stream = self._inner.connect_tcp(
            host,
            port,
            left if timeout is None else min(timeout, left),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Link previews do not use Unix sockets.")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _transport(deadline: float) -> httpx.HTTPTransport:
    """httpx's transport (its TLS set-up included) with the deadline-bound network backend."""
    transport = httpx.HTTPTransport(retries=0, verify=True)
    pool = transport._pool
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        # A new httpx or httpcore moved this: fail loudly rather than drop the deadline.
        raise RuntimeError("httpx's connection pool changed shape; see preview/fetch.py.")
    pool._network_backend = _DeadlineBackend(pool._network_backend, deadline)
    return transport


def fetch_html(url: str) -> Page:
    """GET ``url`` under the rules in the module docstring; returns the final URL and text.

    ``PREVIEW_TOTAL_TIMEOUT`` bounds the whole call: DNS, connect, TLS, request, headers, body
    and every redirect hop.
    """
    return fetch_text(url, types=_HTML_TYPES)


def fetch_text(url: str, *, types: frozenset[str] | set[str]) -> Page:
    """Like ``fetch_html`` for any of the given media ``types`` (``robots.txt`` is text/plain).

    A refused status is ``PreviewError(code="upstream_status")`` whose ``upstream_status``
    attribute holds the store's status code.
    """
    deadline = time.monotonic() + settings.PREVIEW_TOTAL_TIMEOUT
    current = url
    with httpx.Client(
        transport=_transport(deadline),
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment: we must reach the checked address
        verify=True,
    ) as client:
        for hop in range(MAX_REDIRECTS + 1):
            target = parse_url(current)
            ip = _checked_address(target, deadline)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PreviewError("The store took too long to answer.", code="timeout")
            literal = f"[{ip}]" if ip.version == 6 else str(ip)
            default = 443 if target.scheme == "https" else 80
            host_header = target.host if target.port == default else f"{target.host}:{target.port}"
            timeout = httpx.Timeout(
                min(remaining, 3.0),
                connect=min(remaining, settings.PREVIEW_CONNECT_TIMEOUT),
            )
            request = client.build_request(
                "GET",
                f"{target.scheme}://{literal}:{target.port}{target.target}",
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": ",".join(sorted(types)),
                    "Accept-Encoding": "identity",
                },
                timeout=timeout,
                extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise PreviewError("The store took too long to answer.", code="timeout") from None
            except httpx.HTTPError:
                raise PreviewError(
                    "The store page could not be reached.", code="fetch_failed"
                ) from None
            try:
                stream = response.extensions.get("network_stream")
                peer = stream.get_extra_info("server_addr") if stream is not None else None
                if not peer or ipaddress.ip_address(str(peer[0]).split("%", 1)[0]) != ip:
                    raise _blocked("The connection did not reach the checked address.")
                if response.status_code in {301, 302, 303, 307, 308}:
                    location = response.headers.get("location")
                    if not location:
                        raise PreviewError("A redirect without a target.", code="fetch_failed")
                    current = urljoin(current, location)
                    continue
                if not 200 <= response.status_code < 300:
                    error = PreviewError(
                        f"The store answered with status {response.status_code}.",
                        code="upstream_status",
                    )
                    error.upstream_status = response.status_code
                    raise error
                content_type = response.headers.get("content-type", "")
                if content_type.split(";", 1)[0].strip().lower() not in types:
                    raise PreviewError("The link is not a web page (HTML).", code="not_html")
                try:
                    body = _read_capped(response, deadline)
                except httpx.TimeoutException:
                    raise PreviewError(
                        "The store took too long to answer.", code="timeout"
                    ) from None
                except httpx.HTTPError:
                    raise PreviewError("The page could not be read.", code="fetch_failed") from None
                return Page(url=current, text=_decode(body, content_type), hops=hop)
            finally:
                response.close()
    raise PreviewError(f"More than {MAX_REDIRECTS} redirects.", code="too_many_redirects")
