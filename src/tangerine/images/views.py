from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.core import ratelimit
from tangerine.images.selectors import image_get
from tangerine.images.serializers import (
    ImageSerializer,
    UploadGrantInputSerializer,
    UploadGrantSerializer,
)
from tangerine.images.services import image_complete, image_upload_grant
from tangerine.images.uploads import check_content_length, upload_receive

_ERROR = inline_serializer(
    name="ImageError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


class UploadGrantView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="image_upload_grant",
        summary="An upload grant (presigned POST) for one image",
        request=UploadGrantInputSerializer,
        responses={201: UploadGrantSerializer, 400: _ERROR, 429: _ERROR},
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        data = UploadGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # IsAuthenticated guards these views; images know owners only as AUTH_USER_MODEL rows.
        owner = request.user
        ratelimit.enforce(scope="image_upload", keys=[f"user:{owner.pk}"])
        grant = image_upload_grant(owner=owner, **data.validated_data)
        body = {
            "uuid": grant.image.uuid,
            "url": grant.url,
            "fields": grant.fields,
            "expires_at": grant.expires_at,
        }
        return Response(UploadGrantSerializer(body).data, status=status.HTTP_201_CREATED)


class PostUploadGrantView(UploadGrantView):
    """``/api/posts/presigned/``: the same grant under the posts prefix (SPEC.md)."""

    @extend_schema(
        operation_id="post_image_upload_grant",
        summary="An upload grant for a post image (same as /api/images/presigned/)",
        request=UploadGrantInputSerializer,
        responses={201: UploadGrantSerializer, 400: _ERROR, 429: _ERROR},
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class LocalUploadView(APIView):
    """The local storage backend's upload endpoint; the signed policy is the credential."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes: list[type] = []

    @extend_schema(
        operation_id="image_upload_local",
        summary="Upload the file of a grant (local storage only; S3 receives it otherwise)",
        request={
            "multipart/form-data": inline_serializer(
                name="LocalUpload",
                fields={
                    "key": serializers.CharField(),
                    "Content-Type": serializers.CharField(),
                    "policy": serializers.CharField(),
                    "x-tangerine-signature": serializers.CharField(),
                    "file": serializers.FileField(),
                },
            )
        },
        responses={
            204: OpenApiResponse(description="Stored."),
            400: _ERROR,
            403: _ERROR,
            409: _ERROR,
            411: _ERROR,
            413: _ERROR,
        },
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        # Refused before the multipart body is parsed, so an oversized body is never read.
        check_content_length(request.META.get("CONTENT_LENGTH"), settings.IMAGE_MAX_UPLOAD_BYTES)
        upload_receive(form=request.data, files=request.FILES)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImageDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="image_retrieve",
        summary="An image's processing status and variant URLs",
        responses={
            200: ImageSerializer,
            404: _ERROR,
            # /api/images/upload/ (an upload grant's `url` under local storage) has this path's
            # shape; it takes only POST, so a GET on it is a 405.
            405: OpenApiResponse(
                response=_ERROR, description="`upload` as the uuid: the upload endpoint."
            ),
        },
        tags=["images"],
    )
    def get(self, request: Request, uuid: str) -> Response:
        return Response(ImageSerializer(image_get(uuid=uuid)).data)


class ImageCompleteView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="image_complete",
        summary="The upload is done: validate and process it in the background",
        request=None,
        responses={202: ImageSerializer, 403: _ERROR, 404: _ERROR, 409: _ERROR},
        tags=["images"],
    )
    def post(self, request: Request, uuid: str) -> Response:
        image = image_complete(user=request.user, image=image_get(uuid=uuid))
        return Response(ImageSerializer(image).data, status=status.HTTP_202_ACCEPTED)
