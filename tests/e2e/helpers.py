"""What several end-to-end tests share: the in-page layout probe, a phone or desktop browser
context in one language, and signing in with a language chosen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ROOT, Account, Servers, ui_login

# Screenshots of probed pages, kept as test artefacts (not committed).
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts"))

# Overflow and wrapped-text check, run in the page. Returns a list of problems (empty: fine).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth) {
    // Name the widest offenders to make a failure readable.
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
      .filter(el => !el.parentElement
        || el.parentElement.getBoundingClientRect().right <= innerWidth + 1)
      .slice(0, 5)
      .map(el => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`
        + ` right=${Math.round(el.getBoundingClientRect().right)}`);
    problems.push(`overflow: scrollWidth ${root.scrollWidth} > ${innerWidth} ${wide.join(' | ')}`);
  }
  const controls = document.querySelectorAll(
    'button, [role="button"], [role="tab"], header a, nav a, [data-nowrap]');
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.textContent.trim();
      if (!text || text.length > 40) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
      const lines = new Set(rects.map(r => Math.round(r.top / 4)));
      if (lines.size > 1) problems.push(`wrapped: "${text}" in ${el.tagName.toLowerCase()}`);
    }
  }
  return problems;
}"""

IN_VIEWPORT = """el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 0.5;
}"""


def layout_problems(page: Any, name: str, *, screenshots: str = "") -> list[str]:
    """``LAYOUT_PROBLEMS`` of the page once the network is idle, each prefixed with ``name``;
    with ``screenshots``, a screenshot lands in ``ARTIFACTS/<screenshots>`` first."""
    page.wait_for_load_state("networkidle")
    if screenshots:
        page.wait_for_timeout(150)
        folder = ARTIFACTS / screenshots
        folder.mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        lang = page.evaluate("document.documentElement.lang") or "x"
        page.screenshot(path=str(folder / f"{name}-{width}-{lang}.png"))
    return [f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]


def browser_context(browser: Any, servers: Servers, width: int, lang: str) -> Any:
    """A context ``width`` px wide in ``lang``: below 600 px a touch phone 844 px tall."""
    phone = width < 600
    context = browser.new_context(
        base_url=servers.base_url,
        locale="ko-KR" if lang == "ko" else "en-US",
        viewport={"width": width, "height": 844 if phone else 900},
        has_touch=phone,
        is_mobile=phone,
    )
    context.set_default_timeout(15_000)
    return context


def wait_until(page: Any, condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Polls ``condition`` (Python-side state or ``page.evaluate``: the pages' CSP forbids
    ``wait_for_function``'s eval) every 50 ms until it holds or the time is up."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        page.wait_for_timeout(50)


def choose_language(page: Any, lang: str) -> None:
    """Chooses ``lang`` for the pages that load next, as the language switch does: the stored
    choice and the ``lang`` cookie (the server renders by the cookie, and on start the cookie
    wins over a stored choice that differs)."""
    page.evaluate(
        """lang => {
          localStorage.setItem('tangerine-locale',
            JSON.stringify({state: {locale: lang}, version: 0}));
          document.cookie = `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
        }""",
        lang,
    )


def login_in(page: Any, account: Account, lang: str) -> None:
    """Signs in through the login page, then chooses ``lang`` for the pages that follow."""
    ui_login(page, account)
    choose_language(page, lang)
