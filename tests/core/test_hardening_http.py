"""Hardening at the HTTP edge: the /api/ JSON 404 with DEBUG on, and request-body limits.

The body-limit tests drive the real ASGI application (config/asgi.py) the way uvicorn does:
one scope, then the body in ``http.request`` messages, with or without ``Content-Length``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from pytest_django import Settings
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.images.uploads import MULTIPART_OVERHEAD

MB = 1024 * 1024


def test_unknown_api_path_is_a_json_404_even_with_debug(settings: Settings) -> None:
    settings.DEBUG = True
    for path in ("/api/no/such/thing/", "/api/no-slash", "/api/", "/api"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_a_real_endpoint_without_its_slash_still_redirects(settings: Settings) -> None:
    settings.DEBUG = True
    response = Client().get("/api/posts/latest?page_size=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/posts/latest/?page_size=1"


@pytest.mark.django_db
def test_a_json_body_over_the_limit_is_a_json_413_through_django(as_user: Any, alice: User) -> None:
    body = json.dumps({"text": "x" * (3 * MB)})
    response = as_user(alice).post("/api/posts/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


# --- the ASGI layer -------------------------------------------------------------------------


class _Run:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.chunks_pulled = 0

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")

    @property
    def headers(self) -> dict[bytes, bytes]:
        start = next(m for m in self.sent if m["type"] == "http.response.start")
        return dict(start["headers"])


async def _asgi_post(
    path: str, chunks: AsyncIterator[bytes], headers: list[tuple[bytes, bytes]]
) -> _Run:
    from tangerine.config.asgi import application

    run = _Run()
    done = False

    async def receive() -> dict[str, Any]:
        nonlocal done
        if done:  # a client that waits for its answer (Django listens for a disconnect)
            await asyncio.Event().wait()
        try:
            chunk = await chunks.__anext__()
        except StopAsyncIteration:
            done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        run.chunks_pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        run.sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await application(scope, receive, send)
    return run


async def _endless(size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """Far more than any limit (finite, so a server without limits answers instead of hanging)."""
    for _ in range(8 * MB // size):
        yield b"x" * size


async def _fixed(total: int, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"y" * part


@pytest.mark.asyncio
async def test_a_declared_oversized_body_is_refused_before_a_byte_is_read() -> None:
    run = await _asgi_post(
        "/api/posts/",
        _endless(),
        [(b"content-type", b"application/json"), (b"content-length", str(1536 * MB).encode())],
    )
    assert run.status == 413
    assert json.loads(run.body)["code"] == "too_large"
    assert run.headers[b"content-type"] == b"application/json"
    assert run.chunks_pulled == 0


@pytest.mark.asyncio
async def test_a_streamed_body_without_length_is_refused_once_it_passes_the_limit() -> None:
    run = await _asgi_post("/api/posts/", _endless(), [(b"content-type", b"application/json")])
    assert run.status == 413
    assert json.loads(run.body)["code"] == "too_large"
    # Stopped right after the limit (2.5 MB in 64 KiB chunks), not after the whole stream.
    limit = django_settings.REQUEST_MAX_BODY_BYTES
    assert run.chunks_pulled == limit // (64 * 1024) + 1
    assert [m["type"] for m in run.sent].count("http.response.start") == 1


@pytest.mark.asyncio
async def test_a_content_length_that_is_not_a_number_is_a_400() -> None:
    run = await _asgi_post("/api/posts/", _endless(), [(b"content-length", b"12abc")])
    assert run.status == 400
    assert json.loads(run.body)["code"] == "bad_request"


@pytest.mark.asyncio
async def test_the_image_upload_endpoint_keeps_its_own_larger_limit() -> None:
    limits = django_settings.REQUEST_BODY_LIMITS
    upload_limit = limits["/api/images/upload/"]
    # The same allowance the upload view itself checks (images/uploads.py).
    assert upload_limit == django_settings.IMAGE_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
    assert upload_limit > django_settings.REQUEST_MAX_BODY_BYTES

    # 3 MB: over the JSON limit, well within the upload's. It reaches the view, which refuses
    # the missing signature (403), not the size.
    size = 3 * MB
    boundary = b"----tangerine"
    head = (
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"'
        b"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    tail = b"\r\n--" + boundary + b"--\r\n"

    async def body() -> AsyncIterator[bytes]:
        yield head
        async for part in _fixed(size):
            yield part
        yield tail

    run = await _asgi_post(
        "/api/images/upload/",
        body(),
        [
            (b"content-type", b"multipart/form-data; boundary=" + boundary),
            (b"content-length", str(len(head) + size + len(tail)).encode()),
        ],
    )
    assert run.status == 403, run.body
    assert json.loads(run.body)["code"] == "bad_signature"

    # Past its own limit it is a 413 from the ASGI layer, before the body is read.
    run = await _asgi_post(
        "/api/images/upload/",
        _endless(),
        [
            (b"content-type", b"multipart/form-data; boundary=" + boundary),
            (b"content-length", str(upload_limit + 1).encode()),
        ],
    )
    assert run.status == 413
    assert run.chunks_pulled == 0


@pytest.mark.django_db
def test_a_small_json_body_still_works(anon: APIClient) -> None:
    # Sanity: the limit does not touch ordinary requests.
    response = anon.post("/api/accounts/login/", {"email": "nobody@example.com", "password": "x"})
    assert response.status_code in {400, 401}


# --- how the servers are started -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def test_uvicorn_reads_no_proxy_headers_and_caps_websocket_frames() -> None:
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    makefile = (ROOT / "Makefile").read_text()
    api_target = makefile.split("\napi:", 1)[1].split("\n\n", 1)[0]
    for command in (run_sh, api_target):
        # uvicorn's default trusts X-Forwarded-For from any loopback peer: a client behind the
        # web proxy could choose its address. Only Django reads the header (NUM_PROXIES).
        assert "--no-proxy-headers" in command
        # uvicorn's default frame limit is 16 MiB, far above the chat's own 16 KB check.
        assert '--ws-max-size "${WS_MAX_SIZE:-65536}"' in command.replace("$$", "$").replace(
            "--ws-max-size ${WS_MAX_SIZE:-65536}", '--ws-max-size "${WS_MAX_SIZE:-65536}"'
        )
    assert django_settings.CHAT_MAX_FRAME_BYTES <= 65536
    # Behind exactly one proxy, the web server, which sets X-Forwarded-For itself.
    assert 'NUM_PROXIES="${NUM_PROXIES:-1}"' in run_sh
    assert "node server.mjs" in run_sh
    server = (ROOT / "web" / "server.mjs").read_text()
    assert 'req.headers["x-forwarded-for"] = peerAddress(req)' in server
