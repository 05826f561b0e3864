"""Search, viewing events and post recommendations (thin views: see selectors and services)."""

from __future__ import annotations

import time
from typing import Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_viewer
from tangerine.core import metrics, ratelimit, viewers
from tangerine.core.errors import error_schema
from tangerine.core.pagination import numbered_page
from tangerine.core.query import validated_query
from tangerine.core.schema import body_rules
from tangerine.search import selectors, services
from tangerine.search.serializers import (
    EVENTS_MAX,
    HIT_CARDS,
    EventSerializer,
    PageQuerySerializer,
    ProductRecommendPageSerializer,
    RecommendedPostSerializer,
    RecommendedProductItemSerializer,
    RecommendPageSerializer,
    SearchQuerySerializer,
    SearchResponseSerializer,
    SimilarPostPageSerializer,
    SimilarPostSerializer,
    SimilarProductPageSerializer,
    SimilarProductSerializer,
    top_hit_card,
)

viewer_key = viewers.viewer_key


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResponseSerializer},
        description=(
            "Ranked posts, products and users. Posts and products: dense (e5 embeddings in "
            "Milvus) fused with keyword BM25 (Kiwi tokens). Users: handle and display name, "
            "prefix then fuzzy. Each requested kind is its own page-number section; `next` "
            "links page only that kind. `dense` false / `degraded` true: keyword-only."
        ),
    )
    def get(self, request: Request) -> Response:
        data = validated_query(SearchQuerySerializer, request)
        page, page_size = data["page"], data["page_size"]
        started = time.perf_counter()
        result = selectors.search(
            q=data["q"],
            kinds=data["type"],
            viewer=request_viewer(request),
            page=page,
            page_size=page_size,
        )
        metrics.search_seconds.labels(",".join(sorted(data["type"])) or "all").observe(
            time.perf_counter() - started
        )
        # Degraded: keyword-only now, or some items still wait for their vectors (they would be
        # missing from the meaning-based half of the ranking until the sweep repairs them).
        degraded = not result.dense or services.missing_vector_count(max_age=10) > 0
        if degraded:
            metrics.search_degraded.inc()
        body: dict[str, Any] = {"q": data["q"], "dense": result.dense, "degraded": degraded}
        for kind, section in result.sections.items():
            body[kind] = {
                "page": page,
                **numbered_page(
                    request,
                    page=page,
                    page_size=page_size,
                    count=section.count,
                    results=[HIT_CARDS[kind](hit) for hit in section.hits],
                    extra={"type": kind},
                ),
            }
        if result.top is not None and len(data["type"]) > 1:  # all kinds in one ranking
            body["top"] = {
                "page": page,
                **numbered_page(
                    request,
                    page=page,
                    page_size=page_size,
                    count=result.top.count,
                    results=[top_hit_card(hit) for hit in result.top.hits],
                    extra={"type": ",".join(data["type"])},
                ),
            }
        if result.suggestions:  # nothing found: spellings and related words to try
            body["suggestions"] = result.suggestions
        return Response(body)


class EventsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=EventSerializer(many=True),
        responses={202: OpenApiResponse(description="Accepted.")},
        extensions=body_rules(minItems=1, maxItems=EVENTS_MAX),
        description=(
            f"One event object or a list of at most {EVENTS_MAX}. Each counts one view per "
            "viewer and hour; `dwell_ms` (0 to 3 600 000) feeds recommendations. Targets must "
            "exist and be visible to the viewer (else 400 with a message per event)."
        ),
    )
    def post(self, request: Request) -> Response:
        key = viewer_key(request)
        ratelimit.enforce(scope="events", keys=[key])
        raw = request.data
        many = isinstance(raw, list)
        if many and not raw:
            raise serializers.ValidationError({"non_field_errors": ["No events."]})
        if many and len(raw) > EVENTS_MAX:
            raise serializers.ValidationError(
                {"non_field_errors": [f"At most {EVENTS_MAX} events per request."]}
            )
        items = EventSerializer(data=raw, many=many)
        items.is_valid(raise_exception=True)
        rows = items.validated_data if many else [items.validated_data]
        targets = _resolve_targets(request, rows, many=many)
        events = [
            services.EventIn(kind=row["kind"], object_id=targets[(row["kind"], row["target"])],
                             dwell_ms=row["dwell_ms"])
            for row in rows
        ]  # fmt: skip
        services.events_record(events=events, user=request.user, viewer_key=key)
        return Response(status=status.HTTP_202_ACCEPTED)


def _resolve_targets(
    request: Request, rows: list[dict[str, Any]], *, many: bool
) -> dict[tuple[str, Any], int]:
    """Map (kind, uuid) to ids of items the viewer may see; 400 naming each unknown target."""
    found: dict[tuple[str, Any], int] = {}
    for kind, base in (
        ("post", selectors.visible_posts(request_viewer(request))),
        ("product", selectors.visible_products(request_viewer(request))),
    ):
        uuids = {row["target"] for row in rows if row["kind"] == kind}
        if uuids:
            for pk, uuid in base.filter(uuid__in=uuids).values_list("pk", "uuid"):
                found[(kind, uuid)] = pk
    errors = {}
    for index, row in enumerate(rows):
        if (row["kind"], row["target"]) not in found:
            message = [f"No {row['kind']} with this uuid."]
            errors[f"{index}.target" if many else "target"] = message
    if errors:
        raise serializers.ValidationError(errors)
    return found


def _recommendation_page(request: Request, select: Any, item_serializer: Any) -> Response:
    """A numbered page of recommendations: ``select(viewer, page, page_size)`` gives (items,
    count, personal, dense); the answer adds ``personal`` and ``degraded``."""
    params = validated_query(PageQuerySerializer, request)
    page, page_size = params["page"], params["page_size"]
    items, count, personal, dense = select(
        viewer=request_viewer(request), page=page, page_size=page_size
    )
    return Response(
        numbered_page(
            request,
            page=page,
            page_size=page_size,
            count=count,
            results=item_serializer(cast(Any, items), many=True).data,
            personal=personal,
            degraded=not dense,
        )
    )


class PostRecommendView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[PageQuerySerializer],
        responses={200: RecommendPageSerializer},
        description=(
            "Logged in: posts nearest the viewer's taste (likes, comments, dwell time; recent "
            "weighs more), unseen and not their own, then popular recent posts. Visitors: "
            "popular recent posts. Each result has a `reason`."
        ),
    )
    def get(self, request: Request) -> Response:
        return _recommendation_page(
            request, selectors.post_recommendations, RecommendedPostSerializer
        )


_NOT_FOUND = inline_serializer(
    name="SimilarNotFound",
    fields={"code": serializers.CharField(), "detail": serializers.CharField()},
)


def _similar_response(request: Request, *, kind: str, uuid: str) -> Response:
    params = validated_query(PageQuerySerializer, request)
    page, page_size = params["page"], params["page_size"]
    result = selectors.similar_items(
        kind=kind, viewer=request_viewer(request), uuid=uuid, page=page, page_size=page_size
    )
    item_serializer = SimilarPostSerializer if kind == "post" else SimilarProductSerializer
    return Response(
        numbered_page(
            request,
            page=page,
            page_size=page_size,
            count=result.count,
            results=item_serializer(cast(Any, result.items), many=True).data,
            degraded=result.degraded,
        )
    )


SIMILAR_DESCRIPTION = (
    "Nearest neighbours of this {kind}'s embedding among visible {kind}s (itself, hidden, "
    "blocked and suspended authors left out), then the same {owner}'s other {kind}s. When the "
    "vector store is down or the {kind} has no vector yet, its own words are searched with "
    "BM25 instead and `degraded` is true. At most {most} results; 404 for an unknown or "
    "invisible {kind}."
)


class ProductSimilarView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="product_similar",
        summary="Products similar to this one (numbered pages)",
        parameters=[PageQuerySerializer],
        responses={200: SimilarProductPageSerializer, 404: _NOT_FOUND},
        description=SIMILAR_DESCRIPTION.format(
            kind="product", owner="owner", most=selectors.SIMILAR_MAX
        ),
        tags=["products"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        return _similar_response(request, kind="product", uuid=uuid)


class PostSimilarView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="post_similar",
        summary="Posts similar to this one (numbered pages)",
        parameters=[PageQuerySerializer],
        responses={200: SimilarPostPageSerializer, 404: _NOT_FOUND},
        description=SIMILAR_DESCRIPTION.format(
            kind="post", owner="author", most=selectors.SIMILAR_MAX
        ),
    )
    def get(self, request: Request, uuid: str) -> Response:
        return _similar_response(request, kind="post", uuid=uuid)


class ProductRecommendView(generics.GenericAPIView[Any]):  # served under /api/products/
    serializer_class = ProductRecommendPageSerializer

    @extend_schema(
        operation_id="product_recommend",
        summary="Recommended products: personal when logged in (numbered pages)",
        description=(
            "Logged in: products nearest the viewer's taste (likes, comments and dwell time on "
            "posts and products; recent weighs more), unseen and not their own, then popular "
            "products. Visitors and users without history: popular recent products, then older "
            "ones (`personal` false). Vector store down: popular products, `degraded` true. "
            "Each result is a full product with `score` and `reason`. At most 100 results."
        ),
        parameters=[PageQuerySerializer],
        responses={200: ProductRecommendPageSerializer, 400: error_schema("ProductError")},
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        return _recommendation_page(
            request, selectors.product_recommendation_page, RecommendedProductItemSerializer
        )
