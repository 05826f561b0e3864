from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core import ratelimit
from tangerine.core.auth import request_user, request_viewer
from tangerine.core.pagination import CursorPagination
from tangerine.products import selectors
from tangerine.products.serializers import (
    PreviewInputSerializer,
    PreviewSerializer,
    ProductInputSerializer,
    ProductSerializer,
)
from tangerine.products.services import product_create, product_delete, product_update
from tangerine.search import selectors as search_selectors
from tangerine.search.serializers import (
    PageQuerySerializer,
    ProductRecommendPageSerializer,
    RecommendedProductItemSerializer,
)
from tangerine.search.views import page_links

_ERROR = inline_serializer(
    name="ProductError",
    fields={"code": serializers.CharField(), "detail": serializers.CharField()},
)


def _render(request: Request, uuid: Any) -> dict[str, Any]:
    product = selectors.product_get_visible(viewer=request_viewer(request), uuid=uuid)
    return dict(ProductSerializer(product).data)


class ProductListCreateView(generics.GenericAPIView[Any]):
    pagination_class = CursorPagination
    serializer_class = ProductSerializer

    def get_queryset(self) -> Any:
        return selectors.product_list_latest(viewer=request_viewer(self.request))

    @extend_schema(
        operation_id="product_list",
        summary="Latest products of everyone (cursor pages, infinite scroll)",
        responses=ProductSerializer(many=True),
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProductSerializer(page, many=True).data)

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
        return Response(_render(request, uuid))

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
        return self.get_paginated_response(ProductSerializer(page, many=True).data)


class ProductRecommendView(generics.GenericAPIView[Any]):
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
        responses={200: ProductRecommendPageSerializer, 400: _ERROR},
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        params = PageQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page, page_size = params.validated_data["page"], params.validated_data["page_size"]
        items, count, personal, dense = search_selectors.product_recommendation_page(
            viewer=request_viewer(request), page=page, page_size=page_size
        )
        next_url, previous = page_links(request, page=page, page_size=page_size, count=count)
        return Response(
            {
                "count": count,
                "next": next_url,
                "previous": previous,
                "personal": personal,
                "degraded": not dense,
                "results": RecommendedProductItemSerializer(cast(Any, items), many=True).data,
            }
        )


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
