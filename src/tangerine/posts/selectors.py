"""Reads for posts, comments, replies and likes.

Every queryset starts from ``visible_to(viewer)``, so hidden content, suspended authors, blocks
in either direction and other people's drafts never reach a list. ``liked`` is an EXISTS
annotation for the viewer (a constant ``False`` for anonymous visitors), never a query per row.
Lists are ordered for ``core.pagination.CursorPagination`` (newest first on ``created_at, id``)
or its oldest-first variant for comments and replies.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, Mute, User
from tangerine.core.cardsql import exists_for_viewer
from tangerine.core.compiled import CompiledPage, first_compiled, pk_slot, uuid_slot
from tangerine.core.pagination import CursorWindow
from tangerine.follows.models import Follow
from tangerine.posts import cards
from tangerine.posts.models import (
    Comment,
    CommentLike,
    Mention,
    Post,
    PostImage,
    PostLike,
    PostTag,
    Reply,
    ReplyLike,
)


def _authenticated(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def parse_uuid(value: Any) -> uuid_lib.UUID:
    """A uuid from a URL or query parameter; a malformed one is 404 like an unknown one."""
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def liked_by(like_model: type[Any], field: str, viewer: Viewer, ref: str = "pk") -> Any:
    """``EXISTS(like by viewer on the outer row)``, or constant False for anonymous viewers."""
    if not _authenticated(viewer):
        return Value(False, output_field=BooleanField())
    assert viewer is not None  # noqa: S101 (for the type checker: authenticated)
    return exists_for_viewer(like_model, "user", field, viewer.pk, ref)


def is_following(viewer: Viewer, ref: str) -> Any:
    """``EXISTS(viewer follows the user at ref)``, or constant False for anonymous viewers."""
    if not _authenticated(viewer):
        return Value(False, output_field=BooleanField())
    return Exists(Follow.objects.filter(follower=viewer, followee=OuterRef(ref)))


# ---- posts ------------------------------------------------------------------------------


def mention_prefetch(viewer: Viewer, prefix: str = "") -> Prefetch[Any]:
    """The mentions still in the text whose person the viewer may see (active, unsuspended,
    no block either way), in order, as ``visible_mentions``: one query for a whole page."""
    return Prefetch(
        f"{prefix}mentions",
        queryset=Mention.objects.filter(in_text=True)
        .filter(_visible_user_filter(viewer, "user"))
        .select_related("user")
        .order_by("position", "id"),
        to_attr="visible_mentions",
    )


def post_prefetches(viewer: Viewer, prefix: str = "") -> list[Prefetch[Any]]:
    """Tags (in the author's order), images (by position) and visible mentions: one query each
    for a whole page."""
    return [
        Prefetch(
            f"{prefix}posttag_set",
            queryset=PostTag.objects.select_related("tag").order_by("position", "id"),
            to_attr="ordered_tags",
        ),
        Prefetch(
            f"{prefix}post_images",
            queryset=PostImage.objects.select_related("image").order_by("position"),
        ),
        mention_prefetch(viewer, prefix),
    ]


def post_qs(*, viewer: Viewer) -> QuerySet[Post]:
    """Posts the viewer may see, with author, profile image, tags, images, mentions and
    ``liked``.

    Queries when evaluated: 1 (posts joined with author and profile image; ``liked`` and the
    block checks as EXISTS; tags, images and visible mentions as three JSON columns,
    ``cards.card_columns``).
    """
    qs = Post.objects.visible_to(viewer).select_related("author__profile_image")
    return qs.annotate(
        liked=liked_by(PostLike, "post", viewer), **cards.card_columns(viewer, qs.db)
    )


def _not_muted(qs: QuerySet[Any], viewer: Viewer, author_ref: str) -> QuerySet[Any]:
    if not _authenticated(viewer):
        return qs
    assert viewer is not None  # noqa: S101 (for the type checker: authenticated)
    muted = exists_for_viewer(Mute, "muter", "muted", viewer.pk, f"{author_ref}_id")
    return qs.filter(~muted)


def post_list_latest(*, viewer: Viewer) -> QuerySet[Post]:
    """Latest published posts of everyone, without users the viewer muted.

    Queries for a page: 1 (page of posts with their tags, images and mentions).
    """
    qs = post_qs(viewer=viewer).filter(status=Post.Status.PUBLISHED)
    return _not_muted(qs, viewer, "author").order_by("-created_at", "-id")


def post_list_for_user(*, viewer: Viewer, author: User) -> QuerySet[Post]:
    """A user's latest posts; their drafts too when the viewer is that user.

    Queries for a page: 1 (page of posts with their tags, images and mentions).
    """
    return post_qs(viewer=viewer).filter(author=author).order_by("-created_at", "-id")


# Up to this many followees the feed is planned by author; past it, newest first (see below).
FEED_BY_AUTHOR_MAX_FOLLOWING = 50


def _stand_in(viewer: Viewer, pk: Any, following_count: int = 0) -> Viewer:
    """A viewer like ``viewer`` in everything the lists' SQL depends on, with primary key
    ``pk`` (a compiled page's stand-in): signed in or not, staff or not, following plan."""
    if not _authenticated(viewer):
        return viewer
    assert viewer is not None  # noqa: S101 (for the type checker: authenticated)
    return User(pk=pk, is_staff=viewer.is_staff, following_count=following_count)


def _viewer_values(viewer: Viewer) -> tuple[dict[str, Any], dict[str, Any]]:
    if not _authenticated(viewer):
        return {}, {}
    assert viewer is not None  # noqa: S101 (for the type checker: authenticated)
    return {"viewer": pk_slot()}, {"viewer": viewer.pk}


def _viewer_kind(viewer: Viewer) -> tuple[bool, bool]:
    """What the lists' SQL depends on besides the viewer's key: signed in, staff."""
    signed_in = _authenticated(viewer)
    return signed_in, bool(signed_in and viewer is not None and viewer.is_staff)


def post_page_latest(*, viewer: Viewer) -> CompiledPage:
    """``post_list_latest`` for ``CursorPagination``, compiled once per kind of viewer
    (``core.compiled``): the same rows, without building and compiling the query per page."""
    slots, values = _viewer_values(viewer)

    def build(v: Any) -> QuerySet[Post]:
        return post_list_latest(viewer=_stand_in(viewer, v.get("viewer")))

    return CompiledPage(
        key=("posts.latest", *_viewer_kind(viewer)),
        build=build,
        slots=slots,
        values=values,
        bound_field=Post._meta.get_field("created_at"),
        using=Post.objects.db,
    )


def post_page_for_feed(*, viewer: User, window: CursorWindow) -> CompiledPage:
    """``post_list_for_feed`` for ``WindowedCursorPagination``, compiled once per shape
    (``core.compiled``): plan by following count, staff or not, and the window's order, bound
    lookup and limit. The window's bound is the cursor's position, the same slot as the
    paginator's own filter on it."""
    if viewer.following_count == 0:
        plan, stand_in_following = "mine", 0
    elif viewer.following_count <= FEED_BY_AUTHOR_MAX_FOLLOWING:
        plan, stand_in_following = "by-author", 1
    else:
        plan, stand_in_following = "newest", FEED_BY_AUTHOR_MAX_FOLLOWING + 1
    lookups = tuple(sorted(window.bound))

    def build(v: Any) -> QuerySet[Post]:
        stand_in = _stand_in(viewer, v["viewer"], stand_in_following)
        assert isinstance(stand_in, User)  # noqa: S101 (the feed's viewer is signed in)
        bound = {lookup: v[f"bound:{lookup}"] for lookup in lookups}
        return post_list_for_feed(
            viewer=stand_in, window=CursorWindow(window.ordering, window.limit, bound)
        )

    return CompiledPage(
        key=("posts.feed", plan, bool(viewer.is_staff), window.ordering, lookups, window.limit),
        build=build,
        slots={"viewer": pk_slot()},
        values={"viewer": viewer.pk},
        bound_field=Post._meta.get_field("created_at"),
        using=Post.objects.db,
    )


def post_list_for_feed(*, viewer: User, window: CursorWindow | None = None) -> QuerySet[Post]:
    """Home feed: published posts of the users the viewer follows and the viewer's own,
    without muted users, newest first.

    ``window`` (the paginator's ``CursorWindow`` for the page about to be read) lets a viewer
    following a few people be read author by author, each author's newest rows inside the
    window, off the ``(author, created_at, id)`` index. Without it the answer is the same rows
    in the same order, read by a plan that may cost more.

    Queries for a page: 1 (page of posts with their tags, images and mentions; the authors
    and muting are subqueries).

    Plans, chosen by the viewer's stored ``following_count`` (no extra query; the follow
    services keep it in the follow's transaction). Following no one: my posts alone (below).
    Following a few, with a window: each author's newest ``window.limit`` rows inside the
    cursor's bound (``_feed_author_tops``), and the page from those. Following a few without
    one: authors are one ``IN (followees UNION ALL me)`` subquery, so PostgreSQL reads every
    post of those authors by index and sorts (11.6 ms at 200k posts for five prolific
    authors). "Mine OR an EXISTS follow" made it walk everyone's newest posts until a page of
    followed ones turned up: the whole table for a viewer following no one (135 ms at 200k
    posts against 0.8 ms). Following many: the newest-first walk finds a page at once (0.9 ms
    following 300, where reading 300 authors' posts costs 67 ms). Figures:
    bench/feed/README.md and bench/growth/README.md.
    """
    qs = post_qs(viewer=viewer).filter(status=Post.Status.PUBLISHED)
    if viewer.following_count == 0:
        # Following no one: my posts, read newest first off an index until the page is full.
        # Through the IN subquery PostgreSQL read all of them and sorted (a prolific author's
        # 2,051 posts at 200k: 1,633 buffers, 17 ms). No mute filter: nobody can mute
        # themselves (``mute_not_self``), and with it the planner misjudged the rows and sorted
        # them all again (2.6 ms against 0.4 ms at 20k posts).
        return qs.filter(author=viewer).order_by("-created_at", "-id")
    if viewer.following_count <= FEED_BY_AUTHOR_MAX_FOLLOWING:
        if window is not None:
            qs = qs.filter(pk__in=_feed_author_tops(viewer, window, qs.db))
        else:
            me = User.objects.filter(pk=viewer.pk).values("pk")
            authors = (
                Follow.objects.filter(follower=viewer).values("followee_id").union(me, all=True)
            )
            qs = qs.filter(author_id__in=authors)
    else:
        follows = Follow.objects.filter(follower=viewer, followee=OuterRef("author"))
        qs = qs.filter(Q(author=viewer) | Exists(follows))
    return _not_muted(qs, viewer, "author").order_by("-created_at", "-id")


_FEED_AUTHOR = '"_feed_authors"."id"'


def _feed_authors(viewer: User) -> QuerySet[User]:
    """The followees and me whose posts the feed may show: the author rules of
    ``Post.objects.visible_to`` (``accounts.visibility.filter_visible``: active and not
    suspended unless the viewer is staff; no block either way) and the feed's mute."""
    me = User.objects.filter(pk=viewer.pk).values("pk")
    ids = Follow.objects.filter(follower=viewer).values("followee_id").union(me, all=True)
    authors = User.objects.filter(pk__in=ids)
    if not viewer.is_staff:
        authors = authors.filter(is_active=True, suspended_at__isnull=True)
    return authors.filter(
        ~Exists(Block.objects.between(viewer, OuterRef("pk"))),
        ~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
    )


def _feed_author_tops(viewer: User, window: CursorWindow, using: str) -> RawSQL:
    """``_feed_author_tops_sql`` as an expression for ``pk__in``. Built per call: the page
    that holds it is compiled once per shape (``post_page_for_feed``, ``core.compiled``)."""
    return RawSQL(*_feed_author_tops_sql(viewer, window, using))  # noqa: S611


def _feed_author_tops_sql(
    viewer: User, window: CursorWindow, using: str
) -> tuple[str, tuple[Any, ...]]:
    """``SELECT id``: the window's first ``window.limit`` posts over the feed's authors
    (``_feed_authors``), taken from each author's own first ``limit`` rows of the window with
    the feed's rules on single posts (published; not hidden unless the viewer is staff, as
    ``visible_to``).

    Every row of the page is among its author's first ``limit`` rows of the window, so these
    are exactly the rows the outer query (which keeps every visibility and mute rule, the
    order and the slice, as before) would pick from the whole table; it then reads only them.
    Both rule sets must stay equal to the outer query's: a rule missing here lets hidden rows
    or excluded authors take places of the page (it comes back short), a rule here that the
    outer query lacks drops rows (``tests/posts/test_feed_window.py`` walks both).

    PostgreSQL reads each author's rows with a ``LATERAL`` subquery, index-only off the
    partial index ``post_author_published`` (author, newest first; published, not hidden), and
    stops at the limit: a few index pages per author, then one sort of at most authors x limit
    small rows, and the page's posts by primary key (staff, who see hidden posts, get the same
    rows by a slower plan). Other databases (SQLite in tests) take the same inner query
    correlated in ``IN``.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    # Raw SQL below holds only quoted identifiers and Django's own compiled queries; every
    # value (viewer, bound) is a parameter.
    author = RawSQL(_FEED_AUTHOR, ())  # noqa: S611
    rows = Post.objects.filter(author_id=author, status=Post.Status.PUBLISHED)
    if not viewer.is_staff:
        rows = rows.filter(hidden_at__isnull=True)
    rows = rows.filter(**window.bound).order_by(*window.ordering)
    authors, authors_params = _feed_authors(viewer).values("id").query.get_compiler(using).as_sql()
    alias = '"_feed_tops"' if connection.vendor == "postgresql" else '"_feed_posts"'
    column = {f.name: str(f.column) for f in Post._meta.concrete_fields}
    order = ", ".join(
        f"{alias}.{qn(column[o.lstrip('-')])}" + (" DESC" if o.startswith("-") else " ASC")
        for o in window.ordering
    )
    if connection.vendor == "postgresql":
        columns = [o.lstrip("-") for o in window.ordering]
        tops = rows.values(*dict.fromkeys(["id", *columns]))[: window.limit]
        inner, params = tops.query.get_compiler(using=using).as_sql()
        sql = f'SELECT {alias}."id" FROM ({authors}) "_feed_authors" CROSS JOIN LATERAL'  # noqa: S608
        sql += f" ({inner}) {alias}"
    else:
        tops = rows.values("id")[: window.limit]
        inner, params = tops.query.get_compiler(using=using).as_sql()
        post = qn(Post._meta.db_table)
        sql = f'SELECT {alias}."id" FROM ({authors}) "_feed_authors" INNER JOIN {post}'  # noqa: S608
        sql += f" {alias} ON {alias}.{qn(Post.author.field.column)} = {_FEED_AUTHOR}"
        sql += f' WHERE {alias}."id" IN ({inner})'
    sql += f" ORDER BY {order} LIMIT {int(window.limit)}"
    return sql, (*authors_params, *params)


def tag_normalise_query(raw: str) -> str:
    """``?tag=`` as tags are stored: lower case, no leading ``#``, no whitespace."""
    return "".join(raw.split()).lstrip("#").lower()


def post_list_for_tag(*, viewer: Viewer, tag: str) -> QuerySet[Post]:
    """Published posts carrying the (normalised) tag, newest first, without users the viewer
    muted. An unknown tag is simply an empty list.

    Queries for a page: 1 (page of posts with their tags, images and mentions; the tag is a
    join on the unique post-tag pair, so no post comes twice).
    """
    qs = post_qs(viewer=viewer).filter(status=Post.Status.PUBLISHED, posttag__tag__name=tag)
    return _not_muted(qs, viewer, "author").order_by("-created_at", "-id")


# Trending tags: posts of this window count, the answer is remembered this long (seconds).
TRENDING_WINDOW = timedelta(hours=24)
TRENDING_CACHE_SECONDS = 60
TRENDING_LIMIT = 10
_TRENDING_CACHE_KEY = "posts:tags:trending:v1"


def tags_trending() -> list[dict[str, Any]]:
    """The tags on the most published posts of the last 24 hours, ``[{"name", "post_count"}]``,
    most first (ties by name), at most ``TRENDING_LIMIT``.

    Counts posts everyone may see (never hidden posts, nor those of suspended or deactivated
    authors), so one answer serves every viewer from the cache for ``TRENDING_CACHE_SECONDS``.
    Queries: 1 (a grouped count over the post-tag rows of the window), 0 when cached.
    """
    cached = cache.get(_TRENDING_CACHE_KEY)
    if cached is not None:
        return list(cached)
    since = timezone.now() - TRENDING_WINDOW
    recent = Post.objects.visible_to(None).filter(created_at__gte=since).values("pk")
    rows = [
        {"name": row["tag__name"], "post_count": row["post_count"]}
        for row in PostTag.objects.filter(post_id__in=recent)
        .values("tag__name")
        .annotate(post_count=Count("post_id"))
        .order_by("-post_count", "tag__name")[:TRENDING_LIMIT]
    ]
    cache.set(_TRENDING_CACHE_KEY, rows, TRENDING_CACHE_SECONDS)
    return rows


def post_get(*, viewer: Viewer, uuid: Any) -> Post:
    """The post if the viewer may see it, else 404 (drafts of others, hidden, blocked)."""
    post = _post_first("posts.get", lambda v: post_qs(viewer=v), viewer, uuid)
    if post is None:
        raise Http404
    return post


def _post_first(
    name: str, rows_for: Callable[[Viewer], QuerySet[Post]], viewer: Viewer, uuid: Any
) -> Post | None:
    """``rows_for(viewer).filter(uuid=uuid).first()``, compiled once per kind of viewer
    (``core.compiled``): a detail page's or a comment list's post without building its
    visibility rules each time."""
    slots, values = _viewer_values(viewer)

    def build(v: Any) -> QuerySet[Post]:
        return rows_for(_stand_in(viewer, v.get("viewer"))).filter(uuid=v["uuid"])

    post: Post | None = first_compiled(
        (name, *_viewer_kind(viewer)),
        build,
        {**slots, "uuid": uuid_slot(Post._meta.get_field("uuid"))},
        {**values, "uuid": parse_uuid(uuid)},
        Post.objects.db,
    )
    return post


def post_get_visible(*, viewer: Viewer, uuid: Any) -> Post:
    """The bare post row (no joins) if visible to the viewer, else 404: for writes on it."""
    post = _post_first("posts.visible", lambda v: Post.objects.visible_to(v), viewer, uuid)
    if post is None:
        raise Http404
    return post


def access_post_for_edit(*, user: User, uuid: Any) -> Post:
    """The post to edit or delete: 404 if the user cannot see it, 403 if not its author."""
    post = post_get(viewer=user, uuid=uuid)
    if post.author_id != user.pk:
        raise PermissionDenied("Only the author can change this post.")
    return post


# ---- comments and replies ---------------------------------------------------------------


def _post_visible(viewer: Viewer, ref: str) -> Any:
    return Exists(Post.objects.visible_to(viewer).filter(pk=OuterRef(ref)))


def comment_qs(*, viewer: Viewer) -> QuerySet[Comment]:
    """Comments the viewer may see on posts the viewer may see, with author, mentions and
    ``liked``.

    One query: the comments (the post's visibility and the viewer's like are EXISTS
    subqueries, the visible mentions a JSON column: ``cards.mention_column``).
    """
    qs = Comment.objects.visible_to(viewer).filter(_post_visible(viewer, "post_id"))
    return qs.select_related("author__profile_image", "post").annotate(
        liked=liked_by(CommentLike, "comment", viewer),
        **cards.mention_column(viewer, qs.db, "comment"),
    )


def comment_list_for_post(*, viewer: Viewer, post: Post) -> QuerySet[Comment]:
    """Comments of a post, oldest first (a conversation reads top-down).

    Queries for a page: 1.
    """
    return comment_qs(viewer=viewer).filter(post=post).order_by("created_at", "id")


def comment_page_for_post(*, viewer: Viewer, post: Post) -> CompiledPage:
    """``comment_list_for_post`` for ``CursorPagination``, compiled once per kind of viewer
    (``core.compiled``)."""
    slots, values = _viewer_values(viewer)

    def build(v: Any) -> QuerySet[Comment]:
        return comment_list_for_post(
            viewer=_stand_in(viewer, v.get("viewer")), post=Post(pk=v["post"])
        )

    return CompiledPage(
        key=("comments.post", *_viewer_kind(viewer)),
        build=build,
        slots={**slots, "post": pk_slot(1)},
        values={**values, "post": post.pk},
        bound_field=Comment._meta.get_field("created_at"),
        using=Comment.objects.db,
    )


def comment_list_for_user(*, viewer: Viewer, author: User) -> QuerySet[Comment]:
    """A user's comments, newest first. Queries for a page: 1."""
    return comment_qs(viewer=viewer).filter(author=author).order_by("-created_at", "-id")


def comment_get(*, viewer: Viewer, uuid: Any) -> Comment:
    comment = comment_qs(viewer=viewer).filter(uuid=parse_uuid(uuid)).first()
    if comment is None:
        raise Http404
    return comment


def access_comment_for_edit(*, user: User, uuid: Any) -> Comment:
    """404 if the user cannot see the comment, 403 unless they wrote it."""
    comment = comment_get(viewer=user, uuid=uuid)
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author can edit this comment.")
    return comment


def access_comment_for_delete(*, user: User, uuid: Any) -> Comment:
    """404 if the user cannot see the comment, 403 unless they wrote it or the post."""
    comment = comment_get(viewer=user, uuid=uuid)
    if user.pk not in (comment.author_id, comment.post.author_id):
        raise PermissionDenied("Only the author or the post's author can delete this comment.")
    return comment


def reply_qs(*, viewer: Viewer) -> QuerySet[Reply]:
    """Replies the viewer may see, under visible comments of visible posts, with mentions and
    ``liked``.

    One query: the replies (the comment's and post's visibility and the like are EXISTS
    subqueries, the visible mentions a JSON column: ``cards.mention_column``).
    """
    visible_comments = Comment.objects.visible_to(viewer).filter(
        pk=OuterRef("comment_id"), post__in=Post.objects.visible_to(viewer)
    )
    qs = Reply.objects.visible_to(viewer).filter(Exists(visible_comments))
    return qs.select_related("author__profile_image", "comment__post").annotate(
        liked=liked_by(ReplyLike, "reply", viewer),
        **cards.mention_column(viewer, qs.db, "reply"),
    )


def reply_list_for_comment(*, viewer: Viewer, comment: Comment) -> QuerySet[Reply]:
    """Replies of a comment, oldest first. Queries for a page: 1."""
    return reply_qs(viewer=viewer).filter(comment=comment).order_by("created_at", "id")


def reply_get(*, viewer: Viewer, uuid: Any) -> Reply:
    reply = reply_qs(viewer=viewer).filter(uuid=parse_uuid(uuid)).first()
    if reply is None:
        raise Http404
    return reply


def access_reply_for_edit(*, user: User, uuid: Any) -> Reply:
    reply = reply_get(viewer=user, uuid=uuid)
    if reply.author_id != user.pk:
        raise PermissionDenied("Only the author can edit this reply.")
    return reply


def access_reply_for_delete(*, user: User, uuid: Any) -> Reply:
    """The reply's author, or the author of the post it sits under, may delete it."""
    reply = reply_get(viewer=user, uuid=uuid)
    if user.pk not in (reply.author_id, reply.comment.post.author_id):
        raise PermissionDenied("Only the author or the post's author can delete this reply.")
    return reply


# ---- likes ------------------------------------------------------------------------------


def _visible_user_filter(viewer: Viewer, ref: str) -> Q:
    """Q on a related user at ``ref``: active, not suspended, no block with the viewer."""
    q = Q(**{f"{ref}__is_active": True, f"{ref}__suspended_at__isnull": True})
    if _authenticated(viewer):
        q &= Q(~Exists(Block.objects.between(viewer, OuterRef(ref))))
    return q


def likers_of(*, viewer: Viewer, like_model: type[Any], field: str, target: Any) -> QuerySet[Any]:
    """Like rows on ``target`` with their (visible) users and ``user_is_following``, newest
    first.

    Queries for a page: 1 (likes joined with users and profile images; the viewer's follow is
    an EXISTS subquery).
    """
    return (
        like_model.objects.filter(**{field: target})
        .filter(_visible_user_filter(viewer, "user"))
        .select_related("user__profile_image")
        .annotate(user_is_following=is_following(viewer, "user"))
        .order_by("-created_at", "-id")
    )


def liked_posts_of(*, viewer: Viewer, user: User) -> QuerySet[PostLike]:
    """PostLike rows of ``user`` on posts the viewer may see, newest like first, with the post,
    its author and the viewer's own ``target_liked``.

    Queries for a page: 1 (likes joined with post, author and profile image) + 1 (tags) +
    1 (images) + 1 (mentions).
    """
    return (
        PostLike.objects.filter(user=user)
        .filter(_post_visible(viewer, "post_id"))
        .select_related("post__author__profile_image")
        .prefetch_related(*post_prefetches(viewer, "post__"))
        .annotate(target_liked=liked_by(PostLike, "post", viewer, ref="post_id"))
        .order_by("-created_at", "-id")
    )


def liked_comments_of(*, viewer: Viewer, user: User) -> QuerySet[CommentLike]:
    """CommentLike rows of ``user`` on comments the viewer may see, newest like first.

    Queries for a page: 1 + 1 (mentions).
    """
    visible = comment_qs(viewer=viewer).filter(pk=OuterRef("comment_id"))
    return (
        CommentLike.objects.filter(user=user)
        .filter(Exists(visible))
        .select_related("comment__author__profile_image", "comment__post")
        .prefetch_related(mention_prefetch(viewer, "comment__"))
        .annotate(target_liked=liked_by(CommentLike, "comment", viewer, ref="comment_id"))
        .order_by("-created_at", "-id")
    )


def liked_replies_of(*, viewer: Viewer, user: User) -> QuerySet[ReplyLike]:
    """ReplyLike rows of ``user`` on replies the viewer may see, newest like first.

    Queries for a page: 1 + 1 (mentions).
    """
    visible = reply_qs(viewer=viewer).filter(pk=OuterRef("reply_id"))
    return (
        ReplyLike.objects.filter(user=user)
        .filter(Exists(visible))
        .select_related("reply__author__profile_image", "reply__comment__post")
        .prefetch_related(mention_prefetch(viewer, "reply__"))
        .annotate(target_liked=liked_by(ReplyLike, "reply", viewer, ref="reply_id"))
        .order_by("-created_at", "-id")
    )
