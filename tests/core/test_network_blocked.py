"""The test run cannot reach the network beyond this machine (tests/support/network.py)."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.support.network import NetworkBlockedError, service_hosts

PUBLIC_ADDRESSES = [("93.184.216.34", 80), ("1.1.1.1", 53), ("8.8.8.8", 443)]


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_connecting_to_a_public_address_is_refused(address: tuple[str, int]) -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlockedError):
        sock.connect(address)
    with socket.socket() as sock, pytest.raises(NetworkBlockedError):
        sock.connect_ex(address)


def test_a_public_ipv6_address_and_an_ipv4_mapped_one_are_refused() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(NetworkBlockedError):
        sock.connect(("2606:4700:4700::1111", 53))
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(NetworkBlockedError):
        sock.connect(("::ffff:93.184.216.34", 80))


def test_looking_up_a_public_name_is_refused_before_any_dns_query() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(NetworkBlockedError):
        socket.gethostbyname("example.com")
    with socket.socket() as sock, pytest.raises(NetworkBlockedError):
        sock.connect(("example.com", 80))  # connect() would resolve the name itself


# httpcore closes its socket only on an OSError; the refused one is left to the collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_http_client_cannot_go_out() -> None:
    with pytest.raises(NetworkBlockedError):
        httpx.get("http://93.184.216.34/", timeout=2)


def test_loopback_still_connects_by_address_and_by_name() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        for host in ("127.0.0.1", "localhost", "127.1"):
            with socket.socket() as client:
                client.settimeout(2)
                client.connect((host, port))
                accepted, _ = server.accept()
                accepted.close()


def test_unix_sockets_still_connect() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "s.sock")
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(path)
            server.listen()
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(path)
                accepted, _ = server.accept()
                accepted.close()


@pytest.mark.redis
def test_the_projects_redis_still_answers() -> None:
    import redis

    client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    try:
        assert client.ping() is True
    finally:
        client.close()


def test_the_service_hosts_come_from_the_service_urls() -> None:
    hosts = service_hosts(
        {
            "DATABASE_URL": "postgres://u:p@db.internal:5432/x",
            "REDIS_URL": "redis://cache:6379/0",
            "CHANNEL_LAYER_URL": "redis://127.0.0.1:6379/1",
            "HOME": "/root",
        }
    )
    assert hosts == {"db.internal", "cache", "127.0.0.1"}
