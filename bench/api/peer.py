"""The plain-Django peer of the benchmarked DRF endpoints.

Each view runs **the same selectors** (so the same SQL, the same number of queries) and the
same authentication (the project's JWT class, which reads the user row) as its DRF endpoint,
then builds the same JSON by hand: no DRF request wrapping, content negotiation, permission or
throttle classes, serializers or renderer. ``tests/bench/test_api_smoke.py`` checks that every
peer answers exactly the JSON of its DRF endpoint, so the requests/s ratio compares equal work.

First pages only (the benchmark never follows ``next``); ``page_size`` is the default 20.
"""

from __future__ import annotations

import json
import time
from base64 import b64encode
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from tangerine.accounts.authentication import JWTAuthentication
from tangerine.accounts.models import User
from tangerine.core import metrics, viewers
from tangerine.core.pagination import CursorWindow, page_links
from tangerine.images.serializers import variants_for
from tangerine.notifications import selectors as notification_selectors
from tangerine.notifications.cards import card_actors
from tangerine.posts import cards
from tangerine.posts import selectors as post_selectors
from tangerine.posts.services import post_view_count
from tangerine.products import selectors as product_selectors
from tangerine.products import serializers as product_serializers
from tangerine.products.pagination import keyset_page
from tangerine.search import selectors as search_selectors
from tangerine.search import services as search_services

PAGE_SIZE = 20
_auth = JWTAuthentication()


def _json(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), status=status, content_type="application/json")


def _time(value: datetime | None) -> str | None:
    """DRF's DateTimeField: in the current time zone, ISO 8601, UTC written as Z."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _viewer(request: HttpRequest) -> User | None:
    """The bearer token's user (the same query as DRF's authentication), or None."""
    try:
        found = _auth.authenticate(request)  # type: ignore[arg-type]
    except APIException:
        return None
    user = found[0] if found else None
    if isinstance(user, User):
        request.user = user
        return user
    return None


def _unauthorized() -> HttpResponse:
    return _json({"code": "not_authenticated", "detail": "Sign in first."}, status=401)


# ---- objects as the serializers render them --------------------------------------------


def _image(image: Any) -> dict[str, Any] | None:
    if image is None:
        return None
    return {
        "uuid": str(image.uuid),
        "status": image.status,
        "width": image.width,
        "height": image.height,
        "variants": variants_for(image),
    }


def _user(user: Any) -> dict[str, Any]:
    return {
        "handle": user.handle,
        "display_name": user.display_name,
        "profile_image": _image(user.profile_image) if user.profile_image_id else None,
    }


def _mentions(item: Any) -> list[dict[str, Any]]:
    return cards.mentions_of(item)  # the card column of posts, the prefetch of comments


def _post(post: Any) -> dict[str, Any]:
    return {
        "uuid": str(post.uuid),
        "author": _user(post.author),
        "title": post.title,
        "text": post.text,
        "mentions": _mentions(post),
        "tags": cards.tags_of(post),
        "category": post.category,
        "status": post.status,
        "images": [_image(image) for image in cards.images_of(post)],
        "view_count": post.view_count,
        "like_count": post.like_count,
        "comment_count": post.comment_count,
        "liked": bool(getattr(post, "liked", False)),
        "created_at": _time(post.created_at),
        "updated_at": _time(post.updated_at),
    }


def _comment(comment: Any) -> dict[str, Any]:
    return {
        "uuid": str(comment.uuid),
        "post": str(comment.post.uuid),
        "author": _user(comment.author),
        "text": comment.text,
        "mentions": _mentions(comment),
        "like_count": comment.like_count,
        "liked": bool(getattr(comment, "liked", False)),
        "reply_count": comment.reply_count,
        "created_at": _time(comment.created_at),
        "updated_at": _time(comment.updated_at),
        "edited_at": _time(comment.edited_at),
    }


def _product(product: Any) -> dict[str, Any]:
    return {
        "uuid": str(product.uuid),
        "owner": _user(product.owner),
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "currency": product.currency,
        "link": product.link,
        "images": [_image(image) for image in product_serializers.images_of(product)],
        "like_count": product.like_count,
        "view_count": product.view_count,
        "status": product.status,
        "category": product.category,
        "utm": product.utm,
        "save_count": product.save_count,
        "saved": bool(getattr(product, "saved", False)),
        "created_at": _time(product.created_at),
        "updated_at": _time(product.updated_at),
        "store_check": {
            "link_status": product.link_status,
            "checked_at": _time(product.link_checked_at),
            "store_price": product.store_price,
            "store_currency": product.store_currency,
            "store_availability": product.store_availability,
            "issues": product.store_issues,
        },
    }


def _notification(n: Any) -> dict[str, Any]:
    actors = card_actors(n.card_actors)
    count = int(n.actor_count)
    return {
        "uuid": str(n.uuid),
        "kind": n.kind,
        "actor": _user(actors[0]) if actors else None,
        "actors": [_user(actor) for actor in actors],
        "actor_count": count,
        "others_count": max(count - 1, 0),
        "target": {
            "type": n.target_type,
            "uuid": str(n.target_uuid),
            "preview": n.preview,
            "post": str(n.post_uuid) if n.post_uuid else None,
        },
        "read": n.is_read,
        "created_at": _time(n.created_at),
        "latest_at": _time(n.latest_at),
    }


# ---- DRF's cursor page, first page only -------------------------------------------------


def _cursor_page(
    request: HttpRequest, qs: Any, ordering: tuple[str, ...]
) -> tuple[list[Any], str | None]:
    """What ``CursorPagination`` answers for the first page: ``PAGE_SIZE`` rows, and a
    ``next`` whose position is the page's last distinct value of the first ordering field
    (``o`` counts the rows sharing it)."""
    rows = list(qs.order_by(*ordering)[: PAGE_SIZE + 1])
    page = rows[:PAGE_SIZE]
    if len(rows) <= PAGE_SIZE:
        return page, None
    field = ordering[0].lstrip("-")
    compare: str | None = str(getattr(rows[-1], field))
    offset = 0
    for item in reversed(page):
        position = str(getattr(item, field))
        if position != compare:
            compare = position
            break
        offset += 1
    else:  # every row shares one position: DRF's first page then gives an offset alone
        compare = None
    tokens = {"o": str(offset)} if offset else {}
    if compare is not None:
        tokens["p"] = compare
    encoded = b64encode(urlencode(tokens, doseq=True).encode("ascii")).decode("ascii")
    return page, replace_query_param(request.build_absolute_uri(), "cursor", encoded)


def _post_page(request: HttpRequest, qs: Any) -> HttpResponse:
    page, next_url = _cursor_page(request, qs, ("-created_at", "-id"))
    return _json({"next": next_url, "previous": None, "results": [_post(p) for p in page]})


# ---- views ------------------------------------------------------------------------------


def feed(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if viewer is None:
        return _unauthorized()
    window = CursorWindow(ordering=("-created_at", "-id"), limit=PAGE_SIZE + 1)  # first page
    return _post_page(request, post_selectors.post_page_for_feed(viewer=viewer, window=window))


def latest(request: HttpRequest) -> HttpResponse:
    return _post_page(request, post_selectors.post_page_latest(viewer=_viewer(request)))


def post_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    viewer = _viewer(request)
    try:
        post = post_selectors.post_get(viewer=viewer, uuid=uuid)
    except APIException as exc:
        raise Http404 from exc
    if (viewer.pk if viewer is not None else None) != post.author_id and post_view_count(
        post=post, viewer_key=viewers.viewer_key(request)
    ):
        post.view_count += 1
    return _json(_post(post))


def comments(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    try:
        post = post_selectors.post_get_visible(viewer=viewer, uuid=request.GET.get("post", ""))
    except APIException as exc:
        raise Http404 from exc
    qs = post_selectors.comment_page_for_post(viewer=viewer, post=post)
    page, next_url = _cursor_page(request, qs, ("created_at", "id"))
    return _json({"next": next_url, "previous": None, "results": [_comment(c) for c in page]})


class _Query:
    """What ``keyset_page`` reads of a request."""

    def __init__(self, request: HttpRequest) -> None:
        self.query_params = request.GET
        self.build_absolute_uri = request.build_absolute_uri


def products(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "latest")
    if sort not in product_selectors.SORTS:
        return _json({"code": "invalid", "fields": {"sort": ["Unknown sort."]}}, status=400)
    page = product_selectors.product_page(viewer=_viewer(request), sort=sort)
    rows: list[Model]
    rows, next_url = keyset_page(
        _Query(request),  # type: ignore[arg-type]
        page,
        keys=product_selectors.SORTS[sort],
    )
    return _json({"next": next_url, "previous": None, "results": [_product(p) for p in rows]})


def notifications(request: HttpRequest) -> HttpResponse:
    me = _viewer(request)
    if me is None:
        return _unauthorized()
    qs = notification_selectors.notification_page(recipient=me)
    page, next_url = _cursor_page(request, qs, ("-latest_at", "-id"))
    unread = notification_selectors.notification_unread_count(recipient=me)
    return _json(
        {
            "next": next_url,
            "previous": None,
            "results": [_notification(n) for n in page],
            "unread_count": unread,
        }
    )


def _user_hit(hit: Any) -> dict[str, Any]:
    user = hit.obj
    return {
        "kind": hit.kind,
        "score": float(hit.score),
        "highlights": [str(word) for word in hit.highlights],
        "handle": user.handle,
        "display_name": user.display_name,
        "profile_image": _image(user.profile_image) if user.profile_image_id else None,
        "follower_count": user.follower_count,
    }


def search_users(request: HttpRequest) -> HttpResponse:
    """``/api/search/?type=user``: the same selector, metrics and degraded check as the view;
    the query read by hand (``q`` required, no NUL, ``type`` only ``user``, ``page`` 1-1000 and
    ``page_size`` 1-50 in digits: the usual requests, not every one DRF's serializer takes)."""
    q = request.GET.get("q", "").strip()
    if not q or len(q) > search_selectors.QUERY_MAX_LENGTH or "\x00" in q:
        return _json({"code": "invalid", "fields": {"q": ["Enter a search."]}}, status=400)
    if request.GET.get("type", "").strip() != "user":
        return _json({"code": "invalid", "fields": {"type": ["Only user."]}}, status=400)
    numbers = {}
    for name, default, high in (("page", 1, 1000), ("page_size", PAGE_SIZE, 50)):
        text = request.GET.get(name, str(default))
        if not text.isdigit() or not 1 <= int(text) <= high:
            return _json({"code": "invalid", "fields": {name: [f"1 to {high}."]}}, status=400)
        numbers[name] = int(text)
    page, page_size = numbers["page"], numbers["page_size"]
    started = time.perf_counter()
    result = search_selectors.search(
        q=q, kinds=["user"], viewer=_viewer(request), page=page, page_size=page_size
    )
    metrics.search_seconds.labels("user").observe(time.perf_counter() - started)
    degraded = not result.dense or search_services.missing_vector_count(max_age=10) > 0
    section = result.sections["user"]
    next_url, previous = page_links(
        request,  # type: ignore[arg-type]
        page=page,
        page_size=page_size,
        count=section.count,
        extra={"type": "user"},
    )
    body: dict[str, Any] = {
        "q": q,
        "dense": result.dense,
        "degraded": degraded,
        "user": {
            "page": page,
            "count": section.count,
            "next": next_url,
            "previous": previous,
            "results": [_user_hit(hit) for hit in section.hits],
        },
    }
    if result.suggestions:
        body["suggestions"] = result.suggestions
    return _json(body)


# ---- the floor: no query beyond authentication, no serializer ----------------------------


class HelloView(APIView):
    """The smallest DRF endpoint: the project's default authentication, permission, throttle,
    negotiation and renderer classes, and ``{"handle": ...}`` of the signed-in user. Beside
    ``hello`` it measures DRF's fixed cost a request, which the other cells carry too."""

    def get(self, request: Request) -> Response:
        return Response({"handle": getattr(request.user, "handle", None)})


def hello(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    return _json({"handle": viewer.handle if viewer is not None else None})
