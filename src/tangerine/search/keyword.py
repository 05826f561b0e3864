"""BM25 over an inverted index kept in the database (``SearchPosting`` rows).

Why not Milvus' own BM25: it splits on whitespace (useless for Korean without our own tokens),
and keyword search must keep answering when the vector store is down. Scoring is one grouped
SQL query over the postings of the query terms, so it runs the same on SQLite and PostgreSQL.

    idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
    score(d) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 - b + b·|d|/avgdl))
"""

from __future__ import annotations

import math
from collections import Counter

from django.db.models import Avg, Case, Count, F, FloatField, Sum, Value, When
from django.db.models.functions import Cast

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


def remove_document(*, kind: str, object_id: int) -> None:
    SearchPosting.objects.filter(kind=kind, object_id=object_id).delete()
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def bm25(*, kind: str, terms: list[str], limit: int) -> list[tuple[int, float]]:
    """Best ``limit`` (object_id, score) pairs for ``terms``; three queries."""
    if not terms:
        return []
    stats = SearchDocument.objects.filter(kind=kind).aggregate(n=Count("id"), avg=Avg("length"))
    n_docs = stats["n"] or 0
    avgdl = float(stats["avg"] or 0.0) or 1.0
    if n_docs == 0:
        return []
    dfs = dict(
        SearchPosting.objects.filter(kind=kind, term__in=terms)
        .values_list("term")
        .annotate(df=Count("id"))
        .values_list("term", "df")
    )
    if not dfs:
        return []
    idf = {t: math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) for t, df in dfs.items()}
    weight = Case(
        *[When(term=t, then=Value(w)) for t, w in idf.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    tf = Cast(F("tf"), FloatField())
    doc_len = Cast(F("doc_length"), FloatField())
    norm = Value(K1 * (1 - B)) + Value(K1 * B / avgdl) * doc_len
    score = Sum(weight * tf * Value(K1 + 1) / (tf + norm), output_field=FloatField())
    rows = (
        SearchPosting.objects.filter(kind=kind, term__in=list(dfs))
        .values("object_id")
        .annotate(score=score)
        .order_by("-score", "object_id")[:limit]
    )
    return [(int(r["object_id"]), float(r["score"])) for r in rows]
