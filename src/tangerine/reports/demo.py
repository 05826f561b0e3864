"""Demo reports for ``manage.py seed_demo``, so the staff queue shows what it is for.

A spam account (``deal_master``) leaves advertising comments and lists a too-cheap "designer"
bag; members report them through ``report_create``, and the demo staff member works the queue
through ``report_update``: one report resolved (the comment hidden), one in review with a note,
one rejected, the rest waiting. No report here is a copied-photo report: the demo's pictures are
all distinct (``images/demo_art/``).
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from tangerine.accounts.models import User
from tangerine.core.demo import DemoContext
from tangerine.images.demo_art import DemoArt, art_for, demo_image_create
from tangerine.posts.models import Comment, Post
from tangerine.posts.services import comment_create
from tangerine.products.demo import links_checked_now
from tangerine.products.models import Product
from tangerine.products.services import product_create
from tangerine.reports.models import Report, Status, TargetType
from tangerine.reports.services import report_create, report_update

SPAMMER = ("deal_master", "초특가 명품관", "정품 명품 최대 90% 할인! 문의는 DM")
SPAM_COMMENTS = [
    "명품 가방 정품 90% 할인 중! 프로필 링크 확인하세요 👉👉",
    "부업으로 하루 30만원 벌어요. 관심 있으면 DM 주세요",
]


def _spam(
    *, users: list[User], rng: random.Random, art: DemoArt | None
) -> tuple[User, list[Comment], Product]:
    handle, name, bio = SPAMMER
    spammer = User.objects.create_user(
        email=f"{handle}@demo.tangerine",
        handle=handle,
        password_hash=make_password(None),  # nobody logs in as the spammer
        display_name=name,
        bio=bio,
        link_1="https://luxury-outlet.example.biz",
    )
    posts = list(
        Post.objects.filter(author__in=users, status=Post.Status.PUBLISHED).order_by("-id")[:6]
    )
    comments = [
        comment_create(post=post, author=spammer, text=text)
        for post, text in zip(rng.sample(posts, k=min(2, len(posts))), SPAM_COMMENTS, strict=False)
    ]
    images = []
    if art is not None:
        image = demo_image_create(owner=spammer, data=art.picture("bag", height=540))
        if image is not None:
            images.append(image.uuid)
    bag = product_create(
        owner=spammer,
        name="명품 숄더백 정품 (새상품)",
        description="백화점 정품 보장. 오늘만 이 가격! 계좌이체만 가능해요.",
        price=59000,
        category="fashion",
        link="https://luxury-outlet.example.biz/item/8812",
        images=images,
    )
    links_checked_now([bag])  # a demo link that does not resolve: no sweep at start-up
    return spammer, comments, bag


def seed(
    *, users: list[User], rng: random.Random, with_images: bool = True, art: DemoArt | None = None
) -> list[Report]:
    """File the demo reports (reporters by position in ``users``) and work some of them."""
    if len(users) < 4:
        return []
    if with_images and art is None:
        art = DemoArt(rng)
    spammer, comments, bag = _spam(users=users, rng=rng, art=art if with_images else None)

    def person(position: int) -> User:
        return users[position % len(users)]

    filed: list[tuple[User, str, str, str, str]] = [
        (person(1), TargetType.PRODUCT, str(bag.uuid), "scam",
         "정품이라는데 가격이 너무 싸고 계좌이체만 된대요. 사기 같아요."),
        (person(3), TargetType.USER, spammer.handle, "spam",
         "Posts the same ad under everyone's posts."),
        (person(7), TargetType.POST, "", "misinformation",
         "협재는 야영 금지 구역 아닌가요? 잘못된 정보 같아요."),
    ]  # fmt: skip
    for position, comment in zip((0, 4), comments, strict=False):
        filed.append(
            (person(position), TargetType.COMMENT, str(comment.uuid), "spam", "광고 댓글이에요")
        )
    reports: list[Report] = []
    for reporter, target_type, target, reason, description in filed:
        if target_type == TargetType.POST:
            post = Post.objects.filter(author=person(6), status=Post.Status.PUBLISHED).first()
            if post is None or reporter.pk == post.author_id:
                continue
            target = str(post.uuid)
        reports.append(
            report_create(
                reporter=reporter,
                target_type=target_type,
                target=target,
                reason=reason,
                description=description,
            )
        )
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("id").first()
    if staff is None:
        return reports
    by_type = {report.target_type: report for report in reports}
    if TargetType.COMMENT in by_type:  # the first spam comment: hidden, resolved
        report = by_type[TargetType.COMMENT]
        report_update(actor=staff, uuid=report.uuid, status=Status.IN_REVIEW)
        report_update(
            actor=staff,
            uuid=report.uuid,
            status=Status.RESOLVED,
            actions=["hide_content"],
            note="같은 광고 문구가 여러 글에 달림. 숨김 처리.",
            reason="광고성 댓글",
        )
    if TargetType.PRODUCT in by_type:  # the bag: someone is looking at it
        report_update(
            actor=staff,
            uuid=by_type[TargetType.PRODUCT].uuid,
            status=Status.IN_REVIEW,
            note="판매자에게 정품 증빙 요청 예정",
        )
    if TargetType.POST in by_type:  # a mistaken report: rejected
        report = by_type[TargetType.POST]
        report_update(actor=staff, uuid=report.uuid, status=Status.IN_REVIEW)
        report_update(
            actor=staff, uuid=report.uuid, status=Status.REJECTED, reason="문제없는 게시물"
        )
    return reports


def step(ctx: DemoContext) -> None:
    seed(users=ctx.users, rng=ctx.rng, with_images=ctx.with_images, art=art_for(ctx))
