"""Keyword tokens for Korean, English and mixed text.

Korean is agglutinative: "코트를", "코트는", "겨울코트" must all match "코트", so whitespace
splitting is useless. Kiwi (``kiwipiepy``, which ships its model) splits morphemes; we keep
content morphemes (nouns, verb and adjective stems, roots, foreign words, numbers) and lowercase
Latin words with a light plural strip. Kiwi loads on first use (about 2 s).

Compounds are kept whole as well as split: Kiwi reads 러닝화 as 러닝 + 화 (a suffix, dropped) and
선크림 as 선 + 크림, so 러닝화 would match running socks and 선크림 any cream. A run of Hangul
nouns (and noun suffixes/prefixes) written together inside one word also yields the whole run as
a term (러닝화, 선크림, 무선청소기); being rarer it weighs more in BM25 than its parts.

Long queries (four content words or more) keep only nouns, roots, foreign words and numbers:
"비 오는 날 신는 신발" searches 비, 날, 신발 (not the verb stems 오, 신).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
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
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")
# Tags that may form a compound when written together: nouns, noun prefixes and suffixes.
_COMPOUND_TAGS = {"NNG", "NNP", "XSN", "XPN"}
_VERB_TAGS = {"VV", "VA"}
LONG_QUERY_TERMS = 4
COMPOUND = "COMPOUND"

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


# Queries, their words (spelling checks) and synonym words are short and come back again and
# again within a request and across requests: their analyses are remembered.
_CACHED_MAX_CHARS = 80


def _analyse(text: str) -> list[tuple[str, str]]:
    """(term, tag) of ``text`` in order; whole compounds get the tag ``COMPOUND``."""
    if len(text) <= _CACHED_MAX_CHARS:
        return list(_analyse_short(text))
    return _analyse_text(text)


@lru_cache(maxsize=8192)
def _analyse_short(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_analyse_text(text))


def _analyse_text(text: str) -> list[tuple[str, str]]:
    if not text or not text.strip():
        return []
    kiwi = _get_kiwi()
    with _lock:
        tokens = kiwi.tokenize(text)
    terms: list[tuple[str, str]] = []
    run: list[Any] = []

    def close_run() -> None:
        if len(run) >= 2:
            start, end = run[0].start, run[-1].start + run[-1].len
            whole = text[start:end]
            if _HANGUL_WORD.match(whole) and len(whole) <= MAX_TERM_LENGTH:
                terms.append((whole, COMPOUND))
        run.clear()

    for token in tokens:
        if token.tag in _COMPOUND_TAGS and (not run or token.start == run[-1].start + run[-1].len):
            run.append(token)
        else:
            close_run()
            if token.tag in _COMPOUND_TAGS:
                run.append(token)
        if token.tag not in _KEEP_TAGS:
            continue
        form = token.form.lower()
        if token.tag in {"SL", "SN"} or _LATIN.match(form):
            form = _normalise_latin(form)
            if form in _STOPWORDS or (len(form) == 1 and not form.isdigit()):
                continue
        form = form.strip("#")
        if form and any(ch.isalnum() for ch in form):
            terms.append((form[:MAX_TERM_LENGTH], token.tag))
    close_run()
    return terms


def tokenize(text: str) -> list[str]:
    """Index terms of ``text`` in order (with repeats, for term frequencies)."""
    return [term for term, _ in _analyse(text)]


def query_terms(text: str, *, limit: int = 32) -> list[str]:
    """Distinct terms of a query, in order, at most ``limit``.

    A long query (``LONG_QUERY_TERMS`` content words or more) drops verb and adjective stems,
    which in Korean are mostly one-syllable noise (오 from 오는, 신 from 신는)."""
    analysed = _analyse(text)
    if sum(1 for _, tag in analysed if tag != COMPOUND) >= LONG_QUERY_TERMS:
        analysed = [(t, tag) for t, tag in analysed if tag not in _VERB_TAGS]
    seen: dict[str, None] = {}
    for term, _ in analysed:
        seen.setdefault(term, None)
    return list(seen)[:limit]


_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def jamo(text: str) -> str:
    """Hangul syllables decomposed into their letters (갤럭시 → ㄱㅐㄹㄹㅓㄱㅅㅣ); the rest kept.

    Edit distance over this string counts one wrong vowel (갤력시) as one edit, not a whole
    syllable."""
    out: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHO[code // 588])
            out.append(_JUNG[(code % 588) // 28])
            if code % 28:
                out.append(_JONG[code % 28])
        else:
            out.append(ch)
    return "".join(out)
