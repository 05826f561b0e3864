"""Query expansion: synonyms and transliterations, spelling correction, suggestions.

- **Synonyms** (``SynonymGroup`` rows, edited with ``manage.py search_synonyms``): a query
  naming one word of a group (나이키, 조깅화) also searches the group's other words (nike,
  러닝화, running shoes): their keyword terms join the BM25 query, and an expanded query text is
  embedded beside the original one. Latin words match whole words; Hangul words match inside a
  query word only when at least two syllables long (so 배 does not fire inside 배낚시).
- **Spelling**: a query word whose terms the index has never seen (갤력시, tangerin, earings) is
  corrected to the nearest word of the index's own vocabulary (plus the synonym words) by
  Levenshtein distance over Hangul letters (jamo), so one wrong vowel is one edit: at most 1 edit
  for words of up to 5 letters, 2 above. Ties go to the more frequent word. Stop words (to, for,
  with: no keyword term) are never corrected.
- **Suggestions**: the corrected query, offered when a search finds nothing.

The vocabulary (distinct posting terms with their document counts) and the synonym table are
read once per process and refreshed in a background thread when older than ``REFRESH_SECONDS``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.db.models import Count
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tangerine.search.models import SearchPosting, SynonymGroup
from tangerine.search.tokenize import _normalise_latin, jamo, query_terms, tokenize

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 300.0
MAX_EXPANSIONS = 6
_WORD = re.compile(r"[0-9A-Za-z\uac00-\ud7a3][0-9A-Za-z\uac00-\ud7a3'\-]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[0-9a-z][0-9a-z'\-]*")


@dataclass
class Expanded:
    terms: list[str]  # keyword terms: the query's own, corrections, then synonyms
    corrected: str  # the query with misspelt words replaced ("" when nothing was corrected)
    synonyms: list[str] = field(default_factory=list)  # synonym words added to the query
    embed_text: str = ""  # extra text to embed beside the query ("" when none)


@dataclass
class _Tables:
    loaded_at: float = 0.0
    groups: list[list[str]] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=dict)
    vocab: list[str] = field(default_factory=list)
    vocab_jamo: list[str] = field(default_factory=list)
    df: dict[str, int] = field(default_factory=dict)


_tables = _Tables()
_lock = threading.Lock()
_refreshing = threading.Event()


def _load() -> _Tables:
    groups = [
        [str(t).strip().lower() for t in g if str(t).strip()]
        for g in SynonymGroup.objects.values_list("terms", flat=True)
    ]
    groups = [g for g in groups if len(g) >= 2]
    by_word: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        for word in group:
            by_word.setdefault(word, []).append(i)
    df: dict[str, int] = {}
    for term, n in (
        SearchPosting.objects.values("term").annotate(n=Count("object_id")).values_list("term", "n")
    ):
        df[term] = df.get(term, 0) + n
    for word in by_word:  # synonym words are worth correcting to even before any item uses them
        if " " not in word:
            df.setdefault(word, 0)
    vocab = [t for t in df if len(t) >= 2 and not t.isdigit()]
    return _Tables(time.monotonic(), groups, by_word, vocab, [jamo(t) for t in vocab], df)


def _refresh_in_background() -> None:
    if _refreshing.is_set():
        return
    _refreshing.set()

    def run() -> None:
        global _tables
        try:
            tables = _load()
            with _lock:
                _tables = tables
        except Exception:  # keep answering from the old tables
            logger.exception("Refreshing the search vocabulary failed")
        finally:
            close_old_connections()
            _refreshing.clear()

    threading.Thread(target=run, name="search-vocab", daemon=True).start()


def tables() -> _Tables:
    global _tables
    with _lock:
        current = _tables
    if not current.loaded_at:
        current = _load()
        with _lock:
            _tables = current
    elif time.monotonic() - current.loaded_at > REFRESH_SECONDS:
        _refresh_in_background()
    return current


def forget() -> None:
    """Drop the cached synonyms and vocabulary (after edits; tests)."""
    global _tables
    with _lock:
        _tables = _Tables()


def _max_edits(word_jamo: str) -> int:
    return 1 if len(word_jamo) <= 5 else 2


def correct_word(word: str, t: _Tables | None = None) -> str | None:
    """The nearest vocabulary word to an unknown ``word``, or None."""
    t = t or tables()
    w = word.lower()
    if len(w) < 2 or w.isdigit() or not t.vocab:
        return None
    wj = jamo(w)
    limit = _max_edits(wj)
    found = process.extract(
        wj, t.vocab_jamo, scorer=Levenshtein.distance, score_cutoff=limit, limit=20
    )
    if not found:
        return None
    best = min(found, key=lambda m: (m[1], -t.df.get(t.vocab[m[2]], 0), t.vocab[m[2]]))
    candidate = t.vocab[best[2]]
    if best[1] == 0 or candidate == w:
        return None
    # A Latin word is corrected to a Latin word, Hangul to Hangul.
    if bool(_HANGUL.search(candidate)) != bool(_HANGUL.search(w)):
        return None
    return candidate


def _known(word: str, t: _Tables) -> bool:
    terms = tokenize(word)
    return bool(terms) and all(term in t.df for term in terms)


def _searched(word: str) -> bool:
    """Whether ``word`` gives any keyword term. A stop word (to, for, with) gives none: it
    searches nothing, so it has nothing to correct; corrected, it became a vocabulary word the
    user never typed ("how to wash" searched "how two wash", and embedded that as well)."""
    return bool(tokenize(word))


def _singular(phrase: str) -> str:
    return " ".join(_normalise_latin(w) for w in phrase.split())


def _synonym_groups(text: str, t: _Tables) -> list[int]:
    lowered = text.lower()
    # Latin words also match in the singular (clementines → clementine, running shoe → shoes).
    latin = f" {lowered} {_singular(' '.join(_LATIN_WORD.findall(lowered)))} "
    hits: list[int] = []
    for word, group_ids in t.by_word.items():
        if _HANGUL.search(word):
            if len(word) < 2 or word not in lowered:
                continue
        elif not any(
            re.search(rf"(?<![0-9a-z]){re.escape(w)}(?![0-9a-z])", latin)
            for w in {word, _singular(word)}
        ):
            continue
        hits.extend(g for g in group_ids if g not in hits)
    return hits


def expand(q: str) -> Expanded:
    """Keyword terms, spelling corrections and synonym words of a query."""
    terms = query_terms(q)
    try:
        t = tables()
    except Exception:  # no table yet (a fresh database): the plain query
        logger.exception("Search vocabulary unavailable")
        return Expanded(terms=terms, corrected="")
    corrected_words: list[str] = []
    changed = False
    for word in _WORD.findall(q):
        fixed = None if _known(word, t) or not _searched(word) else correct_word(word, t)
        corrected_words.append(fixed or word)
        changed = changed or fixed is not None
    corrected = " ".join(corrected_words) if changed else ""
    extra: list[str] = []
    if corrected:
        extra += query_terms(corrected)
    basis = f"{q} {corrected}"
    synonyms: list[str] = []
    for g in _synonym_groups(basis, t):
        for word in t.groups[g]:
            if word not in basis.lower() and word not in synonyms:
                synonyms.append(word)
    synonyms = synonyms[: MAX_EXPANSIONS * 2]
    for word in synonyms:
        extra += tokenize(word)
    all_terms = list(dict.fromkeys([*terms, *extra]))[:48]
    embed_text = corrected
    if synonyms:
        embed_text = f"{corrected or q} ({', '.join(synonyms[:MAX_EXPANSIONS])})"
    return Expanded(all_terms, corrected, synonyms, embed_text)


def suggestions(q: str, expanded: Expanded) -> list[str]:
    """Queries to offer when nothing was found: the corrected spelling, then synonyms."""
    out: list[str] = []
    if expanded.corrected and expanded.corrected != q:
        out.append(expanded.corrected)
    out += [s for s in expanded.synonyms[:3] if s not in out]
    return out
