"""Marketplace endpoints of products: categories, saves (찜), click-outs and seller insights."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.core.cards import card_list
from tangerine.core.errors import error_schema
from tangerine.core.pagination import PAGE_SIZE_PARAMETER, cursor_page_of
from tangerine.core.query import validated_query
from tangerine.products import insights, selectors
from tangerine.products.models import CATEGORIES, Product
from tangerine.products.pagination import keyset_page
from tangerine.products.serializers import (
    InsightsQuerySerializer,
    ProductCategorySerializer,
    ProductInsightsSerializer,
    ProductSerializer,
    SellerInsightsSerializer,
)
from tangerine.products.services import product_save, product_unsave
from tangerine.products.tracking import product_click_out_record

_ERROR = error_schema("ProductError")
UTM_SOURCE = "tangerine"

_DAY = {"views": 12, "click_outs": 3, "saves": 1, "chats": 1, "click_through_rate": 0.25}
_INSIGHTS_EXAMPLE = {
    "from": "2026-11-07",
    "to": "2026-12-06",
    "totals": {
        "views": 240,
        "unique_viewers": 180,
        "click_outs": 36,
        "saves": 14,
        "chats": 5,
        "click_through_rate": 0.15,
    },
    "days": [{"date": "2026-12-06", **_DAY}],
}
_PRODUCT_BRIEF = {
    "uuid": "0b5c3e8e-4f5a-4f7e-9a41-8f0d1c2b3a4d",
    "name": "제주 한라봉 3kg",
    "price": 29900,
    "currency": "KRW",
    "status": "on_sale",
}


class CategoryListView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    serializer_class = ProductCategorySerializer

    @extend_schema(
        operation_id="product_categories",
        summary="The fixed list of product categories, with Korean and English labels",
        responses={200: ProductCategorySerializer(many=True)},
        examples=[
            OpenApiExample(
                "Categories",
                response_only=True,
                value=[
                    {"code": "food", "label_ko": "식품", "label_en": "Food"},
                    {"code": "other", "label_ko": "기타", "label_en": "Other"},
                ],
            )
        ],
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            [{"code": c, "label_ko": ko, "label_en": en} for c, (ko, en) in CATEGORIES.items()]
        )


class ProductSaveView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProductSerializer

    def _answer(self, request: Request, product: Product, code: int) -> Response:
        fresh = selectors.product_get_visible(viewer=request_viewer(request), uuid=product.uuid)
        return Response(ProductSerializer(fresh).data, status=code)

    @extend_schema(
        operation_id="product_save",
        summary="Save (찜) a product; saving again is harmless",
        request=None,
        responses={
            201: OpenApiResponse(ProductSerializer, description="Saved now."),
            200: OpenApiResponse(ProductSerializer, description="It was already saved."),
            401: _ERROR,
            404: _ERROR,
        },
        examples=[
            OpenApiExample(
                "Not signed in",
                response_only=True,
                status_codes=["401"],
                value={
                    "code": "not_authenticated",
                    "detail": "Authentication credentials were not provided.",
                },
            )
        ],
        tags=["products"],
    )
    def post(self, request: Request, uuid: str) -> Response:
        user = request_user(request)
        product = selectors.product_get_visible(viewer=user, uuid=uuid)
        created = product_save(user=user, product=product)
        return self._answer(request, product, 201 if created else 200)

    @extend_schema(
        operation_id="product_unsave",
        summary="Remove your save of a product; removing again is harmless",
        request=None,
        responses={200: ProductSerializer, 401: _ERROR, 404: _ERROR},
        tags=["products"],
    )
    def delete(self, request: Request, uuid: str) -> Response:
        user = request_user(request)
        product = selectors.product_get_visible(viewer=user, uuid=uuid)
        product_unsave(user=user, product=product)
        return self._answer(request, product, 200)


class ProductSavedListView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProductSerializer

    @extend_schema(
        operation_id="product_saved_list",
        summary="The products I saved, most recently saved first (cursor pages)",
        parameters=[
            OpenApiParameter("cursor", str, description="`next` of the previous page."),
            PAGE_SIZE_PARAMETER,
        ],
        responses={200: cursor_page_of(ProductSerializer), 401: _ERROR},
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        qs = selectors.product_list_saved(user=request_user(request))
        rows, next_url = keyset_page(request, qs, keys=selectors.SAVED_KEYS)
        return Response(
            {"next": next_url, "previous": None, "results": card_list(ProductSerializer, rows)}
        )


def with_utm(link: str) -> str:
    """``link`` with ``utm_source=tangerine`` (replacing any utm_source it had)."""
    parts = urlsplit(link)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "utm_source"]
    query.append(("utm_source", UTM_SOURCE))
    return urlunsplit(parts._replace(query=urlencode(query)))


class ProductClickOutView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="product_click_out",
        summary="Go to the product's store (302), counting one click per viewer a day",
        description=(
            "Redirects to the stored link with `utm_source=tangerine` added unless the product's "
            "`utm` is false. The viewer is counted by a salted hash of the user id or client "
            "address; the owner's own clicks are not counted."
        ),
        responses={
            302: OpenApiResponse(
                description="`Location`: the store link, e.g. "
                "`https://store.example.com/p/1?utm_source=tangerine`."
            ),
            404: _ERROR,
        },
        tags=["products"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        product = selectors.product_get_visible(viewer=request_viewer(request), uuid=uuid)
        user = request.user
        if not (user.is_authenticated and user.pk == product.owner_id):
            product_click_out_record(product=product, request=request)
        location = with_utm(product.link) if product.utm else product.link
        response = Response(status=status.HTTP_302_FOUND, headers={"Location": location})
        response["Cache-Control"] = "no-store"
        return response


_INSIGHTS_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 29 days ago)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)."),
]
_RANGE_ERROR = OpenApiExample(
    "from after to",
    response_only=True,
    status_codes=["400"],
    value={
        "code": "invalid",
        "detail": "Invalid input.",
        "fields": {"from": ["from must not be after to."]},
    },
)


class ProductInsightsView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProductInsightsSerializer

    @extend_schema(
        operation_id="product_insights",
        summary="Views, click-outs, saves and chats of a product per day (owner and staff)",
        description=(
            "Anyone but the owner and staff gets 404. The range is at most 366 days; "
            "`from` after `to` is a 400."
        ),
        parameters=_INSIGHTS_PARAMS,
        responses={200: ProductInsightsSerializer, 400: _ERROR, 401: _ERROR, 404: _ERROR},
        examples=[
            OpenApiExample(
                "A month of a product",
                response_only=True,
                value={"product": _PRODUCT_BRIEF, **_INSIGHTS_EXAMPLE},
            ),
            _RANGE_ERROR,
        ],
        tags=["products"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        product = insights.access_product_for_insights(user=request_user(request), uuid=uuid)
        query = validated_query(InsightsQuerySerializer, request)
        data = insights.product_insights(product=product, **query)
        return Response(ProductInsightsSerializer(data).data)


class SellerInsightsView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SellerInsightsSerializer

    @extend_schema(
        operation_id="seller_insights",
        summary="My products' views, click-outs, saves and chats per day, and the top products",
        parameters=_INSIGHTS_PARAMS,
        responses={200: SellerInsightsSerializer, 400: _ERROR, 401: _ERROR},
        examples=[
            OpenApiExample(
                "A month of a seller",
                response_only=True,
                value={
                    **_INSIGHTS_EXAMPLE,
                    "top_products": [{"product": _PRODUCT_BRIEF, **_DAY}],
                },
            ),
            _RANGE_ERROR,
        ],
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        query = validated_query(InsightsQuerySerializer, request)
        data = insights.seller_insights(user=request_user(request), **query)
        return Response(SellerInsightsSerializer(data).data)
