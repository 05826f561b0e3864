from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core import ratelimit
from tangerine.core.cards import card_data, card_list
from tangerine.core.errors import error_schema
from tangerine.core.pagination import PAGE_SIZE_PARAMETER, CursorPagination, cursor_page_of
from tangerine.core.query import validated_query
from tangerine.products import selectors
from tangerine.products.insights import access_product_for_insights
from tangerine.products.pagination import keyset_page
from tangerine.products.serializers import (
    LinkCheckSerializer,
    PreviewInputSerializer,
    PreviewSerializer,
    ProductInputSerializer,
    ProductListQuerySerializer,
    ProductSerializer,
)
from tangerine.products.services import product_create, product_delete, product_update
from tangerine.products.tracking import product_view_record

_ERROR = error_schema("ProductError")


def _render(request: Request, uuid: Any) -> dict[str, Any]:
    product = selectors.product_get_visible(viewer=request_viewer(request), uuid=uuid)
    return dict(ProductSerializer(product).data)


class ProductListCreateView(generics.GenericAPIView[Any]):
    serializer_class = ProductSerializer

    @extend_schema(
        operation_id="product_list",
        summary="Everyone's products, filtered and sorted (cursor pages, infinite scroll)",
        description=(
            "On-sale products first, then reserved, then sold out; within each, by `sort`: "
            "`latest` (default), `price_asc`, `price_desc`, `popular` (saves + click-outs of "
            "the last 7 days). Ties never make a cursor skip or repeat a product. Prices are "
            "inclusive, in minor units. A bad filter or sort is a 400 naming the parameter."
        ),
        parameters=[
            ProductListQuerySerializer,
            OpenApiParameter("cursor", str, description="`next` of the previous page."),
            PAGE_SIZE_PARAMETER,
        ],
        responses={200: cursor_page_of(ProductSerializer), 400: _ERROR},
        examples=[
            OpenApiExample(
                "Price above the maximum",
                response_only=True,
                status_codes=["400"],
                value={
                    "code": "invalid",
                    "detail": "Invalid input.",
                    "fields": {"min_price": ["min_price must not be greater than max_price."]},
                },
            )
        ],
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        # A blank filter (?status=) is a 400 naming it, as the schema says, not "no filter".
        filters = validated_query(ProductListQuerySerializer, request)
        sort = filters.pop("sort")
        page = selectors.product_page(viewer=request_viewer(request), sort=sort, **filters)
        rows, next_url = keyset_page(request, page, keys=selectors.SORTS[sort])
        return Response(
            {
                "next": next_url,
                "previous": None,
                "results": card_list(ProductSerializer, rows),
            }
        )

    @extend_schema(
        operation_id="product_create",
        summary="Create a product",
        request=ProductInputSerializer,
        responses={201: ProductSerializer, 400: _ERROR, 401: _ERROR},
        tags=["products"],
    )
    def post(self, request: Request) -> Response:
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = product_create(owner=request_user(request), **data.validated_data)
        return Response(_render(request, product.uuid), status=status.HTTP_201_CREATED)


class ProductDetailView(generics.GenericAPIView[Any]):
    serializer_class = ProductSerializer

    @extend_schema(
        operation_id="product_retrieve",
        summary="A product",
        responses={200: ProductSerializer, 404: _ERROR},
        tags=["products"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        product = selectors.product_get_visible(viewer=request_viewer(request), uuid=uuid)
        # One INSERT ... ON CONFLICT DO NOTHING; the owner's own views are not counted.
        product_view_record(product=product, request=request)
        return Response(card_data(ProductSerializer, product))

    def _update(self, request: Request, uuid: str, *, partial: bool) -> Response:
        product = selectors.access_product_for_edit(user=request_user(request), uuid=uuid)
        data = ProductInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        product_update(product=product, data=dict(data.validated_data))
        return Response(_render(request, product.uuid))

    @extend_schema(
        operation_id="product_update",
        summary="Replace a product's fields (owner)",
        request=ProductInputSerializer,
        responses={200: ProductSerializer, 400: _ERROR, 403: _ERROR, 404: _ERROR},
        tags=["products"],
    )
    def put(self, request: Request, uuid: str) -> Response:
        return self._update(request, uuid, partial=False)

    @extend_schema(
        operation_id="product_partial_update",
        summary="Change some of a product's fields (owner)",
        request=ProductInputSerializer(partial=True),
        responses={200: ProductSerializer, 400: _ERROR, 403: _ERROR, 404: _ERROR},
        tags=["products"],
    )
    def patch(self, request: Request, uuid: str) -> Response:
        return self._update(request, uuid, partial=True)

    @extend_schema(
        operation_id="product_destroy",
        summary="Delete a product and its images (owner)",
        responses={204: OpenApiResponse(description="Deleted."), 403: _ERROR, 404: _ERROR},
        tags=["products"],
    )
    def delete(self, request: Request, uuid: str) -> Response:
        product = selectors.access_product_for_edit(user=request_user(request), uuid=uuid)
        product_delete(product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductLatestForUserView(generics.GenericAPIView[Any]):
    pagination_class = CursorPagination
    serializer_class = ProductSerializer

    @extend_schema(
        operation_id="product_list_for_user",
        summary="A user's latest products (cursor pages)",
        responses={200: ProductSerializer(many=True), 404: _ERROR},
        tags=["products"],
    )
    def get(self, request: Request, handle: str) -> Response:
        viewer = request_viewer(request)
        owner = user_get_by_handle(handle=handle, viewer=viewer)
        qs = selectors.product_list_for_user(viewer=viewer, owner=owner)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(card_list(ProductSerializer, page))


class ProductPreviewView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PreviewSerializer

    @extend_schema(
        operation_id="product_preview",
        summary="Title, price and image read from an outside store page",
        request=PreviewInputSerializer,
        responses={200: PreviewSerializer, 400: _ERROR, 422: _ERROR, 429: _ERROR},
        tags=["products"],
    )
    def post(self, request: Request) -> Response:
        from tangerine.products.preview import preview_fetch

        data = PreviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ratelimit.enforce(scope="product_preview", keys=[f"user:{request_user(request).pk}"])
        result = preview_fetch(url=data.validated_data["url"])
        return Response(PreviewSerializer(result).data)


class ProductLinkChecksView(generics.GenericAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = CursorPagination
    serializer_class = LinkCheckSerializer

    @extend_schema(
        operation_id="product_link_checks",
        summary="The store-link checks of a product, newest first (owner and staff)",
        description=(
            "Each check says whether the store page answered (`ok`, `redirected`, `broken`, "
            "`unknown`) and what price and availability it stated. Anyone but the owner and "
            "staff gets 404."
        ),
        responses={200: LinkCheckSerializer(many=True), 401: _ERROR, 404: _ERROR},
        examples=[
            OpenApiExample(
                "A store that raised its price",
                response_only=True,
                value={
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "uuid": "5f0c2a3e-8d1b-4c61-9a55-2f9d0e6b7a10",
                            "checked_at": "2026-12-06T03:00:00Z",
                            "url": "https://store.example.com/items/42",
                            "status": "ok",
                            "http_status": 200,
                            "final_url": "https://store.example.com/items/42",
                            "error": "",
                            "store_price": 13000,
                            "store_currency": "KRW",
                            "store_availability": "in_stock",
                        }
                    ],
                },
            )
        ],
        tags=["products"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        product = access_product_for_insights(user=request_user(request), uuid=uuid)
        page = self.paginate_queryset(product.link_checks.all())
        return self.get_paginated_response(LinkCheckSerializer(page, many=True).data)
