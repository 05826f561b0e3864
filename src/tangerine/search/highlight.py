"""Snippets with matched terms marked, safe to insert as HTML.

The text is escaped first and only our own ``<mark>`` tags are added, so a post containing
``<script>`` comes back as ``&lt;script&gt;``.
"""

from __future__ import annotations

import html
import re

SNIPPET_CHARS = 160


def matched_terms(text: str, terms: list[str]) -> list[str]:
    lowered = text.lower()
    return [t for t in terms if t and t in lowered]


def snippet(text: str, terms: list[str], *, size: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(plain snippet, escaped snippet with <mark> around matches) centred on the first match."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    positions = [lowered.find(t) for t in terms if t]
    positions = [p for p in positions if p >= 0]
    start = 0
    if positions:
        start = max(0, min(positions) - size // 4)
    end = min(len(flat), start + size)
    plain = flat[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    marked = html.escape(plain)
    useful = sorted({t for t in terms if t and t in plain.lower()}, key=len, reverse=True)
    if useful:
        pattern = re.compile("|".join(re.escape(html.escape(t)) for t in useful), re.IGNORECASE)
        marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", marked)
    return prefix + plain + suffix, prefix + marked + suffix
