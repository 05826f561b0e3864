"""BM25 over an inverted index kept in the database (``SearchPosting`` rows).

Why not Milvus' own BM25: it splits on whitespace (useless for Korean without our own tokens),
and keyword search must keep answering when the vector store is down. Scoring is one grouped
SQL query over the postings of the query terms, so it runs the same on SQLite and PostgreSQL.

    idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
    score(d) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 - b + b·|d|/avgdl))
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    F,
    FloatField,
    Max,
    Min,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from tangerine.search import postings
from tangerine.search.models import SearchDocument, SearchPosting

K1 = 1.2
B = 0.75
# A title or product name says what the item is about: its terms count this many times.
TITLE_BOOST = 2


def document_terms(title: str, body: str, extra: list[str] | None = None) -> Counter[str]:
    from tangerine.search.tokenize import tokenize

    terms: Counter[str] = Counter()
    for term in tokenize(title):
        terms[term] += TITLE_BOOST
    terms.update(tokenize(body))
    for term in extra or []:
        terms.update(tokenize(term))
    return terms


def index_document(*, kind: str, object_id: int, owner_id: int, terms: Counter[str]) -> None:
    """Replace the postings of one document (call inside a transaction)."""
    length = sum(terms.values())
    SearchPosting.objects.filter(kind=kind, object_id=object_id).delete()
    SearchPosting.objects.bulk_create(
        SearchPosting(kind=kind, term=t, object_id=object_id, tf=tf, doc_length=length)
        for t, tf in terms.items()
    )
    SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"owner_id": owner_id, "length": length}
    )
    forget_corpus_stats()


def remove_document(*, kind: str, object_id: int) -> None:
    SearchPosting.objects.filter(kind=kind, object_id=object_id).delete()
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    forget_corpus_stats()
    postings.removed(kind, object_id)


# Below this many postings in all, reading them all is cheaper than the extra pruning query.
PRUNE_MIN_POSTINGS = 2000

TIE_MARGIN = 1e-6

# N and the average length barely move between two requests, but counting them reads every
# document row (tens of ms at 100k items): each process keeps them this long, and forgets them
# at once when it writes the index itself.
CORPUS_STATS_SECONDS = 30.0
_corpus_cache: dict[tuple[str, str], tuple[float, int, float]] = {}


def _corpus_stats(kind: str) -> tuple[int, float]:
    key = (connection.alias, kind)
    cached = _corpus_cache.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CORPUS_STATS_SECONDS:
        return cached[1], cached[2]
    stats = SearchDocument.objects.filter(kind=kind).aggregate(n=Count("id"), avg=Avg("length"))
    n_docs, avgdl = int(stats["n"] or 0), float(stats["avg"] or 0.0) or 1.0
    if n_docs:  # an empty index is not worth remembering: the first document must be found
        _corpus_cache[key] = (now, n_docs, avgdl)
    return n_docs, avgdl


def forget_corpus_stats() -> None:
    _corpus_cache.clear()


@dataclass(frozen=True)
class _Term:
    term: str
    df: int
    idf: float
    # The most this term can add to any document's score: BM25 grows with tf and shrinks with
    # the document's length, so the largest tf and the shortest document of its postings bound
    # it from above.
    upper: float


def _term_stats(kind: str, terms: list[str], n_docs: int, avgdl: float) -> list[_Term]:
    rows = (
        SearchPosting.objects.filter(kind=kind, term__in=terms)
        .values_list("term")
        .annotate(df=Count("id"), max_tf=Max("tf"), min_len=Min("doc_length"))
        .values_list("term", "df", "max_tf", "min_len")
    )
    out = []
    for term, df, max_tf, min_len in rows:
        idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * float(min_len) / avgdl)
        out.append(_Term(term, df, idf, idf * max_tf * (K1 + 1) / (max_tf + norm)))
    return out


def _score_query(
    kind: str, stats: list[_Term], avgdl: float, limit: int, only_with: list[str] | None
) -> list[tuple[int, float]]:
    """Top ``limit`` full scores; with ``only_with``, among documents holding one of those terms."""
    weight = Case(
        *[When(term=s.term, then=Value(s.idf)) for s in stats],
        default=Value(0.0),
        output_field=FloatField(),
    )
    tf = Cast(F("tf"), FloatField())
    doc_len = Cast(F("doc_length"), FloatField())
    norm = Value(K1 * (1 - B)) + Value(K1 * B / avgdl) * doc_len
    score = Sum(weight * tf * Value(K1 + 1) / (tf + norm), output_field=FloatField())
    postings = SearchPosting.objects.filter(kind=kind, term__in=[s.term for s in stats])
    if only_with is not None:
        holders = SearchPosting.objects.filter(kind=kind, term__in=only_with)
        postings = postings.filter(object_id__in=holders.values("object_id"))
    # Ordered on the score to 1e-9: sums of the same terms in another order (pruned or not,
    # SQLite or PostgreSQL) differ in the last bits, and equal scores must fall back to the id.
    rank = Cast(F("score") * Value(1e9), BigIntegerField())
    rows = (
        postings.values("object_id")
        .annotate(score=score)
        .order_by(rank.desc(), "object_id")[:limit]
    )
    return [(int(r["object_id"]), float(r["score"])) for r in rows]


def bm25(*, kind: str, terms: list[str], limit: int, prune: bool = True) -> list[tuple[int, float]]:
    """Best ``limit`` (object_id, score) pairs for ``terms``, exactly as without pruning.

    Pruning (MaxScore): terms are taken by descending upper bound; the documents holding one of
    the first terms (the "essential" ones) are scored in full (every query term counts). If the
    remaining terms together cannot reach the ``limit``-th score found, no document holding only
    those terms can enter the top ``limit``, so their long posting lists (very common words such
    as 추천 or 후기) are read only for the candidates, through the index. Otherwise one more term
    becomes essential; at worst that is the plain computation. ``prune=False`` computes it
    directly (tests compare the two).
    """
    if not terms:
        return []
    if prune:  # the in-process copy when it is loaded and in step (search/postings.py)
        cached = postings.bm25(kind=kind, terms=terms, limit=limit)
        if cached is not None:
            return cached
    n_docs, avgdl = _corpus_stats(kind)
    if n_docs == 0:
        return []
    stats = _term_stats(kind, terms, n_docs, avgdl)
    if not stats:
        return []
    stats.sort(key=lambda s: (-s.upper, s.term))
    if not prune or len(stats) == 1 or sum(s.df for s in stats) < PRUNE_MIN_POSTINGS:
        return _score_query(kind, stats, avgdl, limit, None)
    # rest[i]: the most the terms after the first i can add together.
    rest = [sum(s.upper for s in stats[i:]) for i in range(len(stats) + 1)]
    # Fewer candidates than ``limit`` cannot set a threshold: start where the essential terms'
    # postings could at least fill the list.
    cut, seen = 1, stats[0].df
    while cut < len(stats) - 1 and seen < limit:
        seen += stats[cut].df
        cut += 1
    rows = _score_query(kind, stats, avgdl, limit, [s.term for s in stats[:cut]])
    if len(rows) < limit:
        return _score_query(kind, stats, avgdl, limit, None)
    # With a margin: a document of the rest reaching the bound could tie and win on its id.
    if rest[cut] < rows[-1][1] - TIE_MARGIN:
        return rows
    # The threshold only grows with more essential terms, so the first cut whose rest is below
    # the one found is safe: one more query at most.
    threshold = rows[-1][1] - TIE_MARGIN
    cut = next(i for i in range(cut + 1, len(stats) + 1) if rest[i] < threshold)
    if cut == len(stats):
        return _score_query(kind, stats, avgdl, limit, None)
    return _score_query(kind, stats, avgdl, limit, [s.term for s in stats[:cut]])
