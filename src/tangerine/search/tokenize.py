"""Keyword tokens for Korean, English and mixed text.

Korean is agglutinative: "코트를", "코트는", "겨울코트" must all match "코트", so whitespace
splitting is useless. Kiwi (``kiwipiepy``, which ships its model) splits morphemes; we keep
content morphemes (nouns, verb and adjective stems, roots, foreign words, numbers) and lowercase
Latin words with a light plural strip. Kiwi loads on first use (about 2 s).
"""

from __future__ import annotations

import re
import threading
from typing import Any

MAX_TERM_LENGTH = 64
_KEEP_TAGS = {"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "W_HASHTAG"}
_STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
        "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this",
        "to", "was", "were", "will", "with", "you", "your",
    }
)  # fmt: skip
_LATIN = re.compile(r"^[a-z0-9]+$")

_lock = threading.Lock()
_kiwi: Any = None


def _get_kiwi() -> Any:
    global _kiwi  # one analyser per process, made on first use
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def warm_in_background() -> threading.Thread:
    """Load Kiwi now on a daemon thread (the server calls this at start), so the first post or
    search does not pay its 2-5 s load, least of all while holding a database lock."""

    def load() -> None:
        _get_kiwi().tokenize("감귤 warm up")

    thread = threading.Thread(target=load, name="kiwi-warm-up", daemon=True)
    thread.start()
    return thread


def _normalise_latin(word: str) -> str:
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    # A light plural strip ("coats" → "coat") without a stemmer's surprises ("glass" stays).
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Index terms of ``text`` in order (with repeats, for term frequencies)."""
    if not text or not text.strip():
        return []
    kiwi = _get_kiwi()
    with _lock:
        tokens = kiwi.tokenize(text)
    terms: list[str] = []
    for token in tokens:
        if token.tag not in _KEEP_TAGS:
            continue
        form = token.form.lower()
        if token.tag in {"SL", "SN"} or _LATIN.match(form):
            form = _normalise_latin(form)
            if form in _STOPWORDS or (len(form) == 1 and not form.isdigit()):
                continue
        form = form.strip("#")
        if form and any(ch.isalnum() for ch in form):
            terms.append(form[:MAX_TERM_LENGTH])
    return terms


def query_terms(text: str, *, limit: int = 32) -> list[str]:
    """Distinct terms of a query, in order, at most ``limit``."""
    seen: dict[str, None] = {}
    for term in tokenize(text):
        seen.setdefault(term, None)
    return list(seen)[:limit]
