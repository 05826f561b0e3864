"""Tests do not reach the network beyond this machine (CONVENTIONS.md, "Tests").

``install()`` wraps ``socket.socket.connect``/``connect_ex``, ``socket.getaddrinfo`` and
``socket.gethostbyname``/``gethostbyname_ex`` so that, in the test process and its threads:

- connections to loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x), Unix sockets and any
  other non-IP family go through;
- so do connections to the project's own services, named by ``DATABASE_URL``, ``REDIS_URL``,
  ``CACHE_URL`` and ``CHANNEL_LAYER_URL`` (CI may run them under a host name);
- name lookups are answered for IP literals (also ``127.1`` and other numeric forms), for
  ``localhost`` and for those service hosts; any other name raises ``NetworkBlockedError``
  before a DNS query is sent, and so does a connection to any other address.

``NetworkBlockedError`` is not an ``OSError`` on purpose: code under test that turns socket
errors into a polite 4xx must not hide that a test tried to go out. Only Python-level sockets
are covered: C libraries (libpq, gRPC, the Pulsar client) connect on their own, to the
configured local services. Subprocesses (the chat server processes) are not patched either.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

SERVICE_URL_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "CHANNEL_LAYER_URL")
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkBlockedError(RuntimeError):
    """A test tried to reach an address or resolve a name beyond this machine."""


_real: dict[str, Callable[..., Any]] = {}
_service_hosts: set[str] = set()
_service_addresses: set[str] = set()


def service_hosts(environ: dict[str, str] | None = None) -> set[str]:
    """The host names of the services the environment points the project at."""
    environ = dict(os.environ) if environ is None else environ
    hosts = set()
    for name in SERVICE_URL_VARIABLES:
        value = environ.get(name, "")
        for part in value.split(","):
            try:
                host = urlsplit(part.strip()).hostname
            except ValueError:
                continue
            if host:
                hosts.add(host.lower())
    return hosts


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    address = _literal(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _name_allowed(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name in LOCAL_NAMES or name.endswith(".localhost") or name in _service_hosts


def _numeric(host: str) -> list[Any] | None:
    """getaddrinfo of a numeric host (``127.1``, ``0x7f000001``, ``::1``): no DNS involved."""
    try:
        return list(_real["getaddrinfo"](host, None, 0, 0, 0, socket.AI_NUMERICHOST))
    except (socket.gaierror, UnicodeError):
        return None


def _check_name(host: str | bytes | None) -> None:
    if not host:
        return  # None or "": the local machine (a server binding its wildcard address)
    text = host.decode() if isinstance(host, bytes) else str(host)
    if _numeric(text) is not None or _name_allowed(text):
        return
    raise NetworkBlockedError(f"tests may not look up {text!r}: the network is blocked")


def _remember_service_addresses(host: str, infos: Iterable[Any]) -> None:
    if host.lower().rstrip(".") in _service_hosts:
        _service_addresses.update(str(info[4][0]) for info in infos)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    _check_name(host)
    infos = _real["getaddrinfo"](host, *args, **kwargs)
    if isinstance(host, str):
        _remember_service_addresses(host, infos)
    return infos


def _guarded_gethostbyname(host: str) -> str:
    _check_name(host)
    return str(_real["gethostbyname"](host))


def _guarded_gethostbyname_ex(host: str) -> Any:
    _check_name(host)
    return _real["gethostbyname_ex"](host)


def _check_address(family: int, address: Any) -> None:
    if family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets, netlink and the like never leave the machine
    host = str(address[0])
    if is_loopback(host) or host in _service_addresses:
        return
    if _literal(host) is None:
        # socket.connect resolves a name itself (in C); resolve it here, through the guard.
        infos = _guarded_getaddrinfo(host, address[1], family, socket.SOCK_STREAM)
        if all(is_loopback(str(i[4][0])) or str(i[4][0]) in _service_addresses for i in infos):
            return
    raise NetworkBlockedError(
        f"tests may not connect to {address!r}: the network beyond loopback is blocked"
    )


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check_address(self.family, address)
    _real["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(self.family, address)
    return int(_real["connect_ex"](self, address))


def install() -> None:
    """Block the network for this process (idempotent)."""
    if _real:
        return
    _real.update(
        getaddrinfo=socket.getaddrinfo,
        gethostbyname=socket.gethostbyname,
        gethostbyname_ex=socket.gethostbyname_ex,
        connect=socket.socket.connect,
        connect_ex=socket.socket.connect_ex,
    )
    _service_hosts.update(service_hosts())
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.gethostbyname = _guarded_gethostbyname
    socket.gethostbyname_ex = _guarded_gethostbyname_ex
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    """Put the real functions back."""
    if not _real:
        return
    socket.getaddrinfo = _real["getaddrinfo"]
    socket.gethostbyname = _real["gethostbyname"]
    socket.gethostbyname_ex = _real["gethostbyname_ex"]
    socket.socket.connect = _real["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = _real["connect_ex"]  # type: ignore[method-assign]
    _real.clear()
    _service_hosts.clear()
    _service_addresses.clear()
