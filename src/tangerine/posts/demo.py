"""Demo data for the social core: posts in Korean, English and both, follows, likes, comments
and replies, so a fresh install's feed looks alive. Called by the lead's ``seed_demo`` command.

Everything goes through the services, so every counter is what the rows say.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.follows.services import follow_create
from tangerine.posts import services
from tangerine.posts.models import Category, Comment, Post, Reply

# (title, text, tags, category)
_POSTS: list[tuple[str, str, list[str], str]] = [
    (
        "제주 감귤 첫 수확",
        "올해 첫 감귤을 땄어요. 새콤달콤한 맛이 딱 좋아요 🍊",
        ["감귤", "제주", "수확"],
        "food",
    ),
    (
        "Morning run by the sea",
        "5 km along the coast before work. The air smelled of salt and tangerines.",
        ["running", "jeju", "morning"],
        "daily",
    ),
    (
        "새로 산 키보드 후기",
        "저소음 적축인데 타건감이 생각보다 훨씬 좋네요. 사무실용으로 추천합니다.",
        ["키보드", "리뷰", "데스크테리어"],
        "digital",
    ),
    (
        "Weekend flea market finds",
        "Found a vintage film camera for 30,000 won. Shutter still works!",
        ["vintage", "camera", "fleamarket"],
        "hobby",
    ),
    (
        "우리 집 고양이 근황",
        "요즘 창가에서 햇볕 쬐는 게 하루 일과예요. 너무 귀엽지 않나요?",
        ["고양이", "반려묘", "일상"],
        "pets",
    ),
    (
        "Minimal skincare routine",
        "Cleanser, toner, sunscreen. That's it. My skin has never been calmer.",
        ["skincare", "minimal", "beauty"],
        "beauty",
    ),
    (
        "가을 코디 추천",
        "베이지 트렌치코트에 흰 셔츠, 청바지면 어디든 무난해요. Classic never fails.",
        ["가을코디", "ootd", "트렌치코트"],
        "fashion",
    ),
    (
        "Homemade 귤잼",
        "Made tangerine jam with the leftovers: 1 kg fruit, 400 g sugar, some lemon. 맛있어요!",
        ["귤잼", "homemade", "recipe"],
        "food",
    ),
    (
        "작은 방 꾸미기",
        "원룸이라도 조명 하나 바꾸니 분위기가 완전히 달라졌어요.",
        ["인테리어", "원룸", "조명"],
        "home",
    ),
    (
        "Reading list this month",
        "Three novels and one book about design. Any Korean novels you'd recommend?",
        ["books", "reading", "독서"],
        "hobby",
    ),
    (
        "오늘의 카페",
        "한림 바닷가 앞 카페. 창밖으로 보이는 바다가 예술이에요 ☕",
        ["카페", "제주카페", "바다"],
        "daily",
    ),
    (
        "Selling my handmade earrings",
        "Small batch, resin and dried flowers. Link to my shop is in my profile!",
        ["handmade", "earrings", "shop"],
        "fashion",
    ),
    ("", "비 오는 날엔 역시 파전이죠. Rainy day = pajeon day.", ["파전", "rainyday"], "food"),
    (
        "강아지 산책 코스 공유",
        "오름 둘레길은 경사가 완만해서 노견이랑 걷기 좋아요.",
        ["강아지", "산책", "오름"],
        "pets",
    ),
    (
        "New phone, who dis",
        "Switched phones after five years. The camera upgrade is unreal.",
        ["phone", "tech", "upgrade"],
        "digital",
    ),
    (
        "Plant parent update",
        "My monstera finally grew a new leaf with holes! 몬스테라 새 잎 🌿",
        ["plants", "몬스테라", "식물"],
        "home",
    ),
    ("", "Anyone else up at 2am editing photos? 새벽 감성...", ["photography", "새벽"], "hobby"),
    (
        "립밤 비교",
        "세 가지 립밤을 일주일씩 써봤어요. 보습은 두 번째가 제일 좋았어요.",
        ["립밤", "뷰티", "비교"],
        "beauty",
    ),
]

_COMMENTS = [
    "와 너무 좋아요!", "Love this 😍", "어디서 사셨어요?", "Where is this?", "저도 해봐야겠어요",
    "This made my day", "사진 너무 예뻐요", "Totally agree!", "정보 감사합니다 🙏",
    "Need this in my life", "다음에 같이 가요!", "How much was it?", "대박...",
    "Great tip, thanks!",
]  # fmt: skip
_REPLIES = [
    "감사합니다 😊", "Thank you!", "동네 시장에서요!", "Link in my profile", "꼭 해보세요",
    "Haha same", "좋아요 같이 가요", "About 20,000 won", "맞아요 ㅎㅎ",
]  # fmt: skip


def seed(*, users: list[User], rng: random.Random) -> None:
    """Create posts (with tags and categories), follows, likes, comments and replies among
    ``users``. Deterministic for a given ``rng``; safe on an empty database of posts."""
    if not users:
        return
    # Follows: everyone follows a few others, so each feed has something in it.
    for user in users:
        others = [u for u in users if u.pk != user.pk]
        for followee in rng.sample(others, k=min(len(others), rng.randint(2, 5))):
            follow_create(follower=user, followee=followee)

    now = timezone.now()
    posts: list[Post] = []
    for i, (title, text, tags, category) in enumerate(_POSTS * 2):
        author = users[i % len(users)] if i < len(_POSTS) else rng.choice(users)
        post = services.post_create(
            author=author,
            title=title,
            text=text if i < len(_POSTS) else f"{text} (2)",
            tags=tags,
            category=category if category in Category.values else "",
            status=Post.Status.DRAFT if i % 17 == 16 else Post.Status.PUBLISHED,
        )
        # Spread posts over the past two weeks so the feed has a history.
        created = now - timedelta(hours=rng.randint(1, 14 * 24), minutes=rng.randint(0, 59))
        Post.objects.filter(pk=post.pk).update(
            created_at=created, updated_at=created, view_count=rng.randint(0, 300)
        )
        posts.append(post)

    published = [p for p in posts if p.status == Post.Status.PUBLISHED]
    comments: list[Comment] = []
    for post in published:
        for user in rng.sample(users, k=rng.randint(0, len(users))):
            services.like_create(kind=services.POST, user=user, target=post)
        for _ in range(rng.randint(0, 4)):
            comment = services.comment_create(
                post=post, author=rng.choice(users), text=rng.choice(_COMMENTS)
            )
            comments.append(comment)
            if rng.random() < 0.5:
                reply_author = post.author if rng.random() < 0.7 else rng.choice(users)
                reply: Reply = services.reply_create(
                    comment=comment, author=reply_author, text=rng.choice(_REPLIES)
                )
                if rng.random() < 0.5:
                    services.like_create(kind=services.REPLY, user=comment.author, target=reply)
    for comment in comments:
        for user in rng.sample(users, k=rng.randint(0, min(3, len(users)))):
            services.like_create(kind=services.COMMENT, user=user, target=comment)
