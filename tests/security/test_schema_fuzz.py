"""Schema fuzzing: schemathesis with every check against our OpenAPI schema, on a live server.

A uvicorn process (tests/support/servers.py) serves the pytest database; the schemathesis CLI
loads ``/api/schema/`` from it and sends generated requests to every operation, twice: as a
signed-in user (a Bearer token from the server's own login) and anonymously. Checks: ``all``
(not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance, response_schema_conformance, negative_data_rejection,
positive_data_acceptance, missing_required_header, unsupported_method, ignored_auth, and the
stateful ones when that phase runs).

Failures are compared with ``KNOWN_FAILURES`` below, the one list of what is known to fail: an
(operation, failure code) pair in it does not fail the test; anything else does, and the test
prints schemathesis's report of it (with a ``curl`` reproduction). Remove a pair once its
endpoint is fixed. Failure codes: ST101 server error, ST103 undocumented status code, ST105
undocumented Content-Type, ST108 response violates the schema, ST201 a schema-violating request
accepted, ST202 a schema-valid request rejected; ``error`` is a transport error (a timeout).

Bounded for ``make test`` (a few examples per operation, the examples and fuzzing phases, a fixed
seed). The long run is scripts/schemathesis-long.sh (knobs in the environment):

- ``SCHEMA_FUZZ_EXAMPLES``: examples per operation (default 5)
- ``SCHEMA_FUZZ_PHASES``: schemathesis phases (default ``examples,fuzzing``; the long run adds
  ``coverage`` and ``stateful``)
- ``SCHEMA_FUZZ_SEED``: the random seed (default fixed; ``random`` for a new one each run)
- ``SCHEMA_FUZZ_WORKERS``: concurrent schemathesis workers (default 2)
- ``SCHEMA_FUZZ_MAX_TIME``: seconds each of the two runs (signed in, anonymous) may take; with
  it schemathesis repeats fuzzing and stateful testing until the time is spent (default none)
- ``SCHEMA_FUZZ_REPORT_DIR``: where schemathesis's JSON report and output are kept (default a
  temporary folder)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.db import connection

from tangerine.accounts.models import User
from tests.support.api import PASSWORD
from tests.support.servers import Server, server_database_url

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "5"))
PHASES = os.environ.get("SCHEMA_FUZZ_PHASES", "examples,fuzzing")
SEED = os.environ.get("SCHEMA_FUZZ_SEED", "20261206")
WORKERS = os.environ.get("SCHEMA_FUZZ_WORKERS", "2")
REPORT_DIR = os.environ.get("SCHEMA_FUZZ_REPORT_DIR", "")
MAX_TIME = os.environ.get("SCHEMA_FUZZ_MAX_TIME", "")
ST = str(Path(sys.executable).with_name("st"))

# Checks turned off, and why. None: every check of ``--checks all`` runs.
EXCLUDED_CHECKS: dict[str, str] = {}

# The one list of known failures: operation -> {failure code: reason}. Each is a business rule
# that no OpenAPI schema can state (a schema-valid request the server must refuse, ST202): those
# pairs stay. Anything the schema can say is said at the source instead (serializer fields,
# extend_schema responses, core/schema.py's body rules) and is not listed here. One `LINK:`
# entry is schemathesis's link inference reading a literal path as a templated one. Failures of
# the stateful phase count under the operation of the request that failed.
_OWN_IMAGES = "RULE: images must be uuids of the caller's own uploads (random uuids are refused)"
_REFRESH_FROM = (
    "RULE: the refresh token comes from the body or, with the X-Refresh-Cookie header, from "
    "the cookie: {} without both is refused (a body/header/cookie dependency OpenAPI cannot state)"
)
KNOWN_FAILURES: dict[str, dict[str, str]] = {
    # accounts
    "POST /api/accounts/users/{handle}/block/": {"ST202": "RULE: you cannot block yourself"},
    "POST /api/accounts/users/{handle}/mute/": {"ST202": "RULE: you cannot mute yourself"},
    "PUT /api/accounts/users/{handle}/": {
        "ST202": "RULE: profile_image must name an image of yours",
    },
    "PATCH /api/accounts/users/{handle}/": {
        "ST202": "RULE: profile_image must name an image of yours",
    },
    "DELETE /api/accounts/users/{handle}/": {
        "ST202": "RULE: the proof must be right: the current password (a Google sign-in only "
        "for an account without one)",
    },
    "GET /api/accounts/me/insights/": {"ST202": "RULE: from..to may span at most 366 days"},
    "POST /api/accounts/token/refresh/": {"ST202": _REFRESH_FROM},
    "POST /api/accounts/logout/": {"ST202": _REFRESH_FROM},
    "POST /api/accounts/google/login/": {
        "ST202": "RULE: the ID token or code must be Google's, and Google sign-in configured "
        "(GOOGLE_CLIENT_ID; unset on the test server, so a documented 400 'not configured')"
    },
    "POST /api/accounts/password/change/": {"ST202": "RULE: old_password must be right"},
    "POST /api/accounts/password/reset/confirm/": {
        "ST202": "RULE: uid and token must be a real reset link's"
    },
    "POST /api/accounts/registration/": {
        "ST202": "RULE: password strength, and a handle or e-mail not taken yet"
    },
    # posts, comments, likes, follows
    "POST /api/posts/p/": {"ST202": _OWN_IMAGES},
    "PUT /api/posts/p/{uuid}/": {"ST202": _OWN_IMAGES},
    "PATCH /api/posts/p/{uuid}/": {"ST202": _OWN_IMAGES},
    "GET /api/likes/post-likes/": {"ST202": "RULE: exactly one of ?post= or ?handle="},
    "GET /api/likes/comment-likes/": {"ST202": "RULE: exactly one of ?comment= or ?handle="},
    "GET /api/likes/reply-likes/": {"ST202": "RULE: exactly one of ?reply= or ?handle="},
    "POST /api/follows/": {"ST202": "RULE: you cannot follow yourself"},
    # products
    "POST /api/products/": {"ST202": _OWN_IMAGES},
    "PUT /api/products/{uuid}/": {"ST202": _OWN_IMAGES},
    "PATCH /api/products/{uuid}/": {"ST202": _OWN_IMAGES},
    "POST /api/products/preview/": {
        "ST202": "RULE: the link must answer (a host that does not resolve, or a private "
        "address, is refused)",
    },
    "POST /api/products/{uuid}/chat/": {"ST202": "RULE: you cannot chat about your own product"},
    "GET /api/products/": {"ST202": "RULE: min_price must not be greater than max_price"},
    "GET /api/products/{uuid}/insights/": {"ST202": "RULE: from..to may span at most 366 days"},
    # images
    "GET /api/images/{uuid}/": {
        "ST202": "LINK: the stateful phase follows an upload grant's `url` "
        "(/api/images/upload/, POST only; the OpenAPI literal path) as this templated path "
        "with uuid `upload`, and the GET is a documented 405"
    },
    # chats, events
    "POST /api/chats/rooms/": {"ST202": "RULE: members must be existing users"},
    "POST /api/events/": {"ST202": "RULE: each target must be an existing, visible item"},
}


def _server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        # Every request comes from 127.0.0.1: limits meant for strangers would answer 429 to
        # most of the run (429 is documented, but then nothing else is tested).
        "RATE_LIMIT_REGISTRATION": "100000/60",
        "RATE_LIMIT_LOGIN": "100000/60",
        "RATE_LIMIT_PASSWORD_RESET": "100000/60",
        "RATE_LIMIT_SENSITIVE_ACTION": "100000/60",
        "RATE_LIMIT_REPORT": "100000/60",
        "RATE_LIMIT_EVENTS": "100000/60",
        "RATE_LIMIT_IMAGE_UPLOAD": "100000/60",
        "RATE_LIMIT_PRODUCT_PREVIEW": "100000/60",
        "THROTTLE_ANON": "100000/min",
        "THROTTLE_USER": "100000/min",
        # The long run outlasts the default 5 minutes of an access token.
        "JWT_ACCESS_SECONDS": "7200",
    }


def _login(server: Server, user: User) -> str:
    response = httpx.post(
        f"{server.base}/api/accounts/login/",
        json={"email": user.email, "password": PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access"])


def _blocks(output: str) -> dict[str, str]:
    """schemathesis's text report, split into the sections of each operation."""
    body = output.split("=== WARNINGS ===")[0].split("=== SUMMARY ===")[0]
    parts = re.split(r"\n_{3,} (.+?) _{3,}\n", body)
    blocks: dict[str, str] = {}
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        blocks[name] = blocks.get(name, "") + text
    return blocks


STATEFUL = "Stateful tests"
# Errors of the testing tool itself, not answers of the API: printed, not failures. An
# operation that hits one loses the rest of that phase's cases for the run.
TOOL_ERRORS = {
    # CPython 3.11 (gh-106905): ast.parse in a thread may raise a spurious SystemError;
    # hypothesis parses a source file to describe a filter while two workers generate cases.
    "cpython-gh-106905": "AST constructor recursion depth mismatch",
}


def _operation_of(method: str, url: str, paths: list[str]) -> str | None:
    """The operation (``GET /api/images/{uuid}/``) a request went to: a literal path before
    templated ones, as OpenAPI resolves them; None when no path of the schema matches."""
    path = urlsplit(url).path
    candidates = sorted(paths, key=lambda template: "{" in template)
    for template in candidates:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return f"{method} {template}"
    return None


def _stateful_found(text: str, paths_by_method: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(operation, code) of each failure of the stateful phase: schemathesis files them all
    under "Stateful tests"; each case's last request (its last ``curl``) is the one that
    failed. A case whose request matches no operation stays under "Stateful tests"."""
    found: set[tuple[str, str]] = set()
    for case in re.split(r"\n\d+\. Test Case ID: \S+\n", "\n" + text)[1:]:
        codes = re.findall(r"^- (ST\d+) ", case, re.MULTILINE)
        # The URL is a curl line's last word (its body may hold links too).
        requests = re.findall(r"^\s*curl -X (\w+)\s(?:.*\s)?'?(https?://[^\s']+)'?\s*$", case, re.M)
        operation = None
        if requests:
            method, url = requests[-1]
            operation = _operation_of(method, url, paths_by_method.get(method, []))
        found |= {(operation or STATEFUL, code) for code in codes}
    return found


def _found(
    report: dict[str, object], output: str, paths_by_method: dict[str, list[str]]
) -> set[tuple[str, str]]:
    """(operation, code) of every failure and transport error of a run."""
    found = {
        (operation, str(failure["code"]))
        for failure in report["failures"]  # type: ignore[attr-defined]
        for operation in failure["operations"]
        if operation != STATEFUL
    }
    stateful = _blocks(output).get(STATEFUL, "")
    if stateful.strip():
        found |= _stateful_found(stateful, paths_by_method)
    for operation, text in _blocks(output).items():
        if not text.lstrip().startswith("1. Test Case ID"):  # an error section
            tool = [name for name, message in TOOL_ERRORS.items() if message in text]
            found.add((operation, f"tool:{tool[0]}" if tool else "error"))
    if report["errors"] and not any(code.startswith(("error", "tool:")) for _, code in found):
        found.add(("(unknown operation)", "error"))
    return found


def _paths_by_method(server: Server) -> dict[str, list[str]]:
    schema = httpx.get(f"{server.base}/api/schema/?format=json", timeout=120).json()
    paths: dict[str, list[str]] = {}
    for path, item in schema["paths"].items():
        for method in item:
            paths.setdefault(method.upper(), []).append(path)
    return paths


def _run(server: Server, name: str, headers: list[str], folder: Path) -> tuple[set, str]:
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        ST,
        "run",
        f"{server.base}/api/schema/?format=json",
        "--checks",
        "all",
        *(["--exclude-checks", ",".join(EXCLUDED_CHECKS)] if EXCLUDED_CHECKS else []),
        "--phases",
        PHASES,
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        WORKERS,
        "--request-timeout",
        "30",
        # Seconds an answer may take (max_response_time, 10 s by default): generous, since the
        # suite shares two busy cores; a hang still fails.
        "--max-response-time",
        "20",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(folder / f"{name}.json"),
        *([] if SEED == "random" else ["--seed", SEED]),
        *(["--max-time", MAX_TIME] if MAX_TIME else []),
        *headers,
    ]
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own command line
        command, capture_output=True, text=True, timeout=3600, check=False, cwd=folder
    )  # cwd: schemathesis keeps a .schemathesis/ cache in its working directory
    output = done.stdout + done.stderr
    (folder / f"{name}.txt").write_text(output)
    report_path = folder / f"{name}.json"
    assert report_path.exists(), f"schemathesis wrote no report ({done.returncode}):\n{output}"
    report = json.loads(report_path.read_text())
    assert report["operations"]["tested"] > 100, output  # the whole schema, not a stub
    print(  # shown with -s: the figures RELIABILITY.md quotes
        f"schema fuzz ({name}): {report['test_cases']['generated']} cases on "
        f"{report['operations']['tested']} operations in {time.monotonic() - started:.0f} s"
    )
    return _found(report, output, _paths_by_method(server)), output


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_its_schema_says(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the server process needs the PostgreSQL test database")
    folder = Path(REPORT_DIR).resolve() if REPORT_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    make_user(handle="other", email="other@example.com")  # someone to follow, block, report
    user = make_user(handle="fuzzer", email="fuzzer@example.com")
    server = Server(_server_env(), folder / "server.log")
    try:
        server.wait_ready(time.monotonic() + 300)  # a crowded machine starts it slowly
        token = _login(server, user)
        # Search loads its tokenizer and vector index on first use (seconds of CPU here): once
        # before, so that max_response_time measures answers, not the warm-up.
        with contextlib.suppress(httpx.TimeoutException):  # slower still on a crowded machine
            httpx.get(f"{server.base}/api/search/?q=warm", timeout=300)
        unexpected: list[str] = []
        seen: set[tuple[str, str]] = set()
        for name, headers in (("user", ["-H", f"Authorization: Bearer {token}"]), ("anon", [])):
            found, output = _run(server, name, headers, folder)
            seen |= found
            blocks = _blocks(output)
            for operation, code in sorted(found):
                if code.startswith("tool:"):
                    print(f"[{name}] {operation}: a testing-tool error ({code}), not the API's")
                elif code not in KNOWN_FAILURES.get(operation, {}):
                    unexpected.append(
                        f"[{name}] {operation}: {code}\n"
                        + (blocks.get(operation) or blocks.get(STATEFUL, ""))[:3000]
                    )
        stale = sorted(
            f"{operation}: {code}"
            for operation, codes in KNOWN_FAILURES.items()
            for code in codes
            if (operation, code) not in seen
        )
        if stale:  # fuzzing is random: not a failure, but a hint to check and prune the list
            print("known failures not seen in this run:\n  " + "\n  ".join(stale))
        assert not unexpected, (
            f"{len(unexpected)} new schemathesis failures (reports in {folder}):\n\n"
            + "\n\n".join(unexpected)
        )
    finally:
        server.stop()


# --- the generic fixes the fuzzing asked for (fast, no server) ----------------------------------


@pytest.mark.django_db
def test_every_operation_documents_its_generic_error_answers() -> None:
    from django.test import Client as DjangoClient

    schema = DjangoClient().get("/api/schema/?format=json").json()
    operations = {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    }
    me = operations["GET /api/accounts/me/"]["responses"]
    assert {"401", "403", "429"} <= set(me)  # a token is read: 401 for a bad one
    assert me["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "404" in operations["GET /api/posts/p/{uuid}/"]["responses"]  # a path object
    assert "400" in operations["POST /api/posts/p/"]["responses"]  # a body
    assert "429" in operations["POST /api/accounts/login/"]["responses"]
    assert all("429" in operation["responses"] for operation in operations.values())


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete"])
def test_an_unknown_api_path_is_a_json_404_for_every_method(method: str) -> None:
    from django.test import Client as DjangoClient

    client = DjangoClient(enforce_csrf_checks=True)  # as a browser with a session would be
    response = getattr(client, method)("/api/reports/null,null/", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_a_csrf_refusal_is_json() -> None:
    from django.test import RequestFactory

    from tangerine.core.errors import json_csrf_failure

    response = json_csrf_failure(RequestFactory().post("/x"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert json.loads(response.content)["code"] == "csrf_failed"


def test_stateful_failures_are_filed_under_the_operation_that_failed() -> None:
    """schemathesis reports the stateful phase's failures under "Stateful tests"; each is
    matched to the operation of its last request, so KNOWN_FAILURES applies to it too."""
    text = """
1. Test Case ID: VHvCXg

- ST202 Schema-valid request rejected

    Valid data should have been accepted

[400] Bad Request:

    `{"code":"invalid","fields":{"images":["No such image of yours: 5dbe3a31."]}}`

Reproduce with:

    curl -X POST -H 'Authorization: [Filtered]' -d '{"link": "http://127.0.0.1:5/api/x/"}' http://127.0.0.1:5/api/products/

    st replay VHvCXg

2. Test Case ID: N4kXzC

- ST202 Schema-valid request rejected

- ST103 Undocumented status code

[405] Method Not Allowed:

Reproduce with:

    curl -X POST -H 'Authorization: [Filtered]' -d '{"size": 1}' http://127.0.0.1:5/api/posts/presigned/
    curl -X GET -H 'Authorization: [Filtered]' http://127.0.0.1:5/api/images/upload/

3. Test Case ID: EjSHr8

- ST202 Schema-valid request rejected

    curl -X GET 'http://127.0.0.1:5/api/accounts/users/?search=%00'

4. Test Case ID: zzQKDC

- ST201 Schema-violating request accepted

    curl -X GET 'http://127.0.0.1:5/api/nowhere/'
"""
    paths = {
        "GET": ["/api/images/{uuid}/", "/api/accounts/users/", "/api/accounts/users/{handle}/"],
        "POST": ["/api/products/", "/api/images/upload/", "/api/posts/presigned/"],
    }
    assert _stateful_found(text, paths) == {
        ("POST /api/products/", "ST202"),
        ("GET /api/images/{uuid}/", "ST202"),  # not the POST-only literal path
        ("GET /api/images/{uuid}/", "ST103"),
        ("GET /api/accounts/users/", "ST202"),
        (STATEFUL, "ST201"),  # no operation matches: stays unknown, so it fails the run
    }


def test_a_known_testing_tool_error_is_told_apart_from_the_apis_errors() -> None:
    output = (
        "\n____ GET /api/a/ ____\nRuntime Error\n\nAST constructor recursion depth mismatch "
        "(before=66, after=107)\n"
        "\n____ GET /api/b/ ____\nRuntime Error\n\nReadTimeout\n"
    )
    found = _found({"failures": [], "errors": [{}]}, output, {})
    assert found == {("GET /api/a/", "tool:cpython-gh-106905"), ("GET /api/b/", "error")}
