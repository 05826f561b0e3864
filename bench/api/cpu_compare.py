"""Server CPU per request of each endpoint: DRF as it is, DRF with the code before issue 17's
CPU round ("old": DRF's generic serializers for cards, the three separate prefetches), and
the plain-Django peer, interleaved in one process (issue 17).

Through Django's test client with the bench server's settings (as ``cpu_profile.py``): for
each endpoint, rounds that run ``-n`` requests of every variant in turn, so the machine's
noise hits all alike; CPU is this process's (view, ORM, serializers, middleware, client), not
PostgreSQL's. Before timing, checks that every variant answers the same JSON. Prints CPU ms
per request (median of rounds), new/old and DRF/peer ratios, and the load average.

    .venv/bin/python bench/api/cpu_compare.py --db tangerine_h2_b20k --rounds 6 -n 30
    .venv/bin/python bench/api/cpu_compare.py --only feed,latest --json out.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.api import run as api_run  # noqa: E402

DEFAULT = "feed,latest,post_detail,comments,products_latest,notifications"


@contextlib.contextmanager
def old_code() -> Iterator[None]:
    """The code before the CPU round, patched in: cards through DRF's field walk, posts read
    with three prefetches (tags, images, mentions) and comments with one (mentions) instead
    of the card columns, the like and the mute as ORM ``Exists`` querysets."""
    from django.db.models import BooleanField, Exists, OuterRef, Value
    from rest_framework import serializers

    from tangerine.accounts.models import Mute
    from tangerine.accounts.serializers import UserBriefSerializer
    from tangerine.images.serializers import image_ref
    from tangerine.integrations.storage import image_storage
    from tangerine.posts import selectors
    from tangerine.posts import serializers as post_serializers
    from tangerine.posts.models import Comment, CommentLike, Post, PostLike
    from tangerine.posts.serializers import CommentSerializer, PostSerializer, ReplySerializer
    from tangerine.products import serializers as product_serializers
    from tangerine.products.serializers import ProductSerializer

    def eager_image_refs(images: Any) -> list[dict[str, Any]]:  # a storage per card
        storage = image_storage()
        return [image_ref(image, storage) for image in images]

    generic = serializers.ModelSerializer.to_representation
    classes = [PostSerializer, CommentSerializer, ReplySerializer, ProductSerializer]
    classes.append(UserBriefSerializer)
    saved: list[tuple[Any, str, Any]] = [
        (cls, "to_representation", cls.__dict__["to_representation"]) for cls in classes
    ]
    saved += [(m, "image_refs", m.image_refs) for m in (post_serializers, product_serializers)]
    patched = ("post_qs", "comment_qs", "liked_by", "_not_muted")
    saved += [(selectors, name, getattr(selectors, name)) for name in patched]

    def old_liked_by(like_model: Any, field: str, viewer: Any, ref: str = "pk") -> Any:
        if viewer is None or not viewer.is_authenticated:
            return Value(False, output_field=BooleanField())
        return Exists(like_model.objects.filter(user=viewer, **{field: OuterRef(ref)}))

    def old_not_muted(qs: Any, viewer: Any, author_ref: str) -> Any:
        if viewer is None or not viewer.is_authenticated:
            return qs
        return qs.filter(~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef(author_ref))))

    def old_post_qs(*, viewer: Any) -> Any:  # selectors.post_qs before the card columns
        return (
            Post.objects.visible_to(viewer)
            .select_related("author__profile_image")
            .prefetch_related(*selectors.post_prefetches(viewer))
            .annotate(liked=old_liked_by(PostLike, "post", viewer))
        )

    def old_comment_qs(*, viewer: Any) -> Any:  # selectors.comment_qs before the column
        return (
            Comment.objects.visible_to(viewer)
            .filter(selectors._post_visible(viewer, "post_id"))
            .select_related("author__profile_image", "post")
            .prefetch_related(selectors.mention_prefetch(viewer))
            .annotate(liked=old_liked_by(CommentLike, "comment", viewer))
        )

    try:
        for cls in classes:
            cls.to_representation = generic  # type: ignore[method-assign,assignment]
        for module in (post_serializers, product_serializers):
            module.image_refs = eager_image_refs  # type: ignore[attr-defined]
        selectors.post_qs = old_post_qs
        selectors.comment_qs = old_comment_qs
        selectors.liked_by = old_liked_by
        selectors._not_muted = old_not_muted
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tangerine_bench")
    parser.add_argument("--only", default=DEFAULT, help="comma-separated endpoint names")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("-n", type=int, default=30, help="requests per variant and round")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    sample, eps, client = api_run.in_process(args.db, "cpucmp-")
    load_before = os.getloadavg()[0]
    out: dict[str, Any] = {"load_average_before": round(load_before, 2), "endpoints": {}}
    for name in args.only.split(","):
        drf, peer, viewer = eps[name]
        headers = {"Authorization": f"Bearer {sample['tokens'][viewer]}"} if viewer else {}

        def get(path: str, headers: dict[str, str] = headers) -> bytes:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            return bytes(response.content)

        variants: dict[str, tuple[str, Callable[[], Any]]] = {
            "new": (drf, contextlib.nullcontext),
            "old": (drf, old_code),
        }
        if peer is not None:
            variants["peer"] = (peer, contextlib.nullcontext)
        bodies = {}
        for variant, (path, context) in variants.items():
            with context():
                for _ in range(5):
                    body = json.loads(get(path))
            if isinstance(body, dict) and isinstance(body.get("next"), str):
                body["next"] = body["next"].replace("/peer/", "/api/", 1)
            if name == "post_detail":  # each request counts a view (or not: once per viewer)
                body.pop("view_count", None)
            bodies[variant] = body
        same = all(body == bodies["new"] for body in bodies.values())
        cpu: dict[str, list[float]] = {variant: [] for variant in variants}
        for _ in range(args.rounds):
            for variant, (path, context) in variants.items():
                with context():
                    start = time.process_time()
                    for _ in range(args.n):
                        get(path)
                    cpu[variant].append((time.process_time() - start) * 1000 / args.n)
        p50 = {variant: statistics.median(values) for variant, values in cpu.items()}
        row = {
            "cpu_ms": {k: round(v, 2) for k, v in p50.items()},
            "rounds": {k: [round(x, 2) for x in v] for k, v in cpu.items()},
            "new_over_old": round(p50["new"] / p50["old"], 3),
            "same_json": same,
        }
        if "peer" in p50:
            row["drf_over_peer"] = round(p50["new"] / p50["peer"], 3)
            row["old_drf_over_peer"] = round(p50["old"] / p50["peer"], 3)
        out["endpoints"][name] = row
        print(
            f"{name:16} new {p50['new']:6.2f}  old {p50['old']:6.2f}  "
            + (f"peer {p50['peer']:6.2f}  " if "peer" in p50 else "")
            + f"new/old {row['new_over_old']:.2f}  "
            + (
                f"DRF/peer {row['drf_over_peer']:.2f} (old {row['old_drf_over_peer']:.2f})  "
                if "peer" in p50
                else ""
            )
            + f"same JSON {same}  load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    out["rounds"], out["n"] = args.rounds, args.n
    print(f"{args.rounds} rounds x {args.n} requests per variant; load average "
          f"{load_before:.2f} -> {out['load_average_after']:.2f}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
