"""A local fake of Google's OpenID endpoints: sign-in (authorization), token and JWKS.

It signs ID tokens with keys of its own; tests point GOOGLE_AUTH_URL, GOOGLE_TOKEN_URL and
GOOGLE_JWKS_URL at it. ``/auth`` plays the Google account chooser: it signs in as
``next_identity`` at once and redirects back with a code bound to the PKCE challenge and the
redirect URI, which ``/token`` then checks as Google does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "tangerine-test.apps.googleusercontent.com"
ISSUER = "https://accounts.google.com"


class FakeGoogle:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.codes: dict[str, dict[str, Any]] = {}
        # code -> (PKCE challenge, redirect URI) for codes handed out by /auth.
        self.bindings: dict[str, tuple[str, str]] = {}
        self.token_requests: list[dict[str, list[str]]] = []
        # When set, the token endpoint answers 200 with these bytes (say, an outage page).
        self.raw_token_answer: bytes | None = None
        # Who "signs in" at /auth (the claims of the ID token the code turns into).
        self.next_identity: dict[str, Any] = {}
        # What /auth was asked (query parameters), for tests to inspect.
        self.auth_requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/auth":
                    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                    fake.auth_requests.append(query)
                    if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                        self._send(400, {"error": "invalid_request"})
                        return
                    code = fake.issue_code(**fake.next_identity)
                    fake.bindings[code] = (
                        query.get("code_challenge", ""),
                        query.get("redirect_uri", ""),
                    )
                    target = (
                        query.get("redirect_uri", "")
                        + "?"
                        + urlencode({"code": code, "state": query.get("state", "")})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/certs":
                    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key()))
                    public.update(kid=fake.kid, use="sig", alg="RS256")
                    self._send(200, {"keys": [public]})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                fake.token_requests.append(form)
                if fake.raw_token_answer is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(fake.raw_token_answer)))
                    self.end_headers()
                    self.wfile.write(fake.raw_token_answer)
                    return
                code = form.get("code", [""])[0]
                claims = fake.codes.pop(code, None)
                if self.path != "/token" or claims is None:
                    self._send(400, {"error": "invalid_grant"})
                    return
                challenge, redirect_uri = fake.bindings.pop(code, ("", ""))
                if challenge:  # issued by /auth: PKCE and the redirect URI must match
                    verifier = form.get("code_verifier", [""])[0].encode()
                    digest = hashlib.sha256(verifier).digest()
                    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                    if computed != challenge or form.get("redirect_uri", [""])[0] != redirect_uri:
                        self._send(400, {"error": "invalid_grant"})
                        return
                self._send(200, {"id_token": fake.id_token(**claims), "access_token": "x"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeGoogle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def id_token(
        self,
        *,
        sub: str = "google-sub-1",
        email: str = "gina@gmail.com",
        email_verified: bool = True,
        aud: str = CLIENT_ID,
        iss: str = ISSUER,
        expires_in: int = 3600,
        name: str = "Gina 지나",
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": iss,
            "aud": aud,
            "sub": sub,
            "email": email,
            "email_verified": email_verified,
            "name": name,
            "iat": now - 10,
            "exp": now + expires_in,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def issue_code(self, **claims: Any) -> str:
        code = uuid.uuid4().hex
        self.codes[code] = claims
        return code
