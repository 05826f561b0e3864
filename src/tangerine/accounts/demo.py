"""Demo people for ``manage.py seed_demo``: twelve members and one staff account.

Development only: every demo account shares ``DEMO_PASSWORD`` (documented in the README).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from tangerine.accounts.models import User
from tangerine.accounts.services import user_update
from tangerine.core.demo import DemoContext
from tangerine.images.demo_art import art_for, demo_image_create

DEMO_PASSWORD = "tangerine-demo-2026"  # noqa: S105 (documented demo accounts, development only)

# (handle, display name, bio, link)
PEOPLE = [
    (
        "jeju_gyul",
        "제주귤농장",
        "제주 서귀포에서 3대째 감귤 농사 짓습니다 🍊",
        "https://smartstore.example.com/jejugyul",
    ),
    ("minji_kim", "김민지", "빈티지 옷과 소품을 좋아해요. 가끔 직접 만든 액세서리도 팔아요.", ""),
    (
        "seoul_coffee",
        "서울커피로스터스",
        "Small-batch roastery in Mangwon. 원두 주문은 링크에서!",
        "https://seoulcoffee.example.com",
    ),
    (
        "daniel_lee",
        "Daniel Lee",
        "Developer by day, keyboard collector by night ⌨️",
        "https://daniel.example.dev",
    ),
    (
        "hana_bakes",
        "하나의 베이킹",
        "집에서 굽는 비건 쿠키와 스콘. Weekend orders only.",
        "https://hanabakes.example.com",
    ),
    ("sora_plants", "소라 식물가게", "반려식물 분양하고 키우는 법을 나눠요 🌿", ""),
    (
        "alex_outdoor",
        "Alex Park",
        "Camping gear reviews, 백패킹 다니는 직장인",
        "https://alexoutdoor.example.com",
    ),
    (
        "yuna_books",
        "책방 유나",
        "동네 작은 책방. 독립출판물과 중고책을 소개합니다.",
        "https://yunabooks.example.com",
    ),
    ("tom_knits", "Tom's Knits", "Hand-knitted hats and scarves from Busan. 주문제작 가능", ""),
    (
        "mirae_pet",
        "미래네 강아지",
        "시바견 미래와 함께하는 일상 🐕 수제 간식 판매",
        "https://miraepet.example.com",
    ),
    ("chris_audio", "크리스 오디오", "Vintage audio restoration. 빈티지 앰프 수리합니다.", ""),
    (
        "jiwoo_art",
        "지우 일러스트",
        "Illustrator. 엽서, 스티커, 굿즈를 만들어요 ✏️",
        "https://jiwoo.example.art",
    ),
]


# Profile pictures: a portrait, or for a shop a picture of what it sells (as shops do).
AVATARS = {
    "jeju_gyul": "citrus",
    "seoul_coffee": "coffee",
    "hana_bakes": "bread",
    "sora_plants": "plant",
    "yuna_books": "books",
    "tom_knits": "knit",
    "mirae_pet": "pet",
    "chris_audio": "camera",
    "minji_kim": "person",
    "daniel_lee": "person",
    "alex_outdoor": "person",
}  # jiwoo_art keeps the default picture: not everyone sets one


def _users() -> list[User]:
    # One hash for the one shared password: hashing costs ~0.3 s a time, inside the transaction.
    password_hash = make_password(DEMO_PASSWORD)
    users = []
    for handle, name, bio, link in PEOPLE:
        users.append(
            User.objects.create_user(
                email=f"{handle}@demo.tangerine",
                handle=handle,
                password_hash=password_hash,
                display_name=name,
                bio=bio,
                link_1=link,
            )
        )
    User.objects.create_user(
        email="staff@demo.tangerine",
        handle="staff_demo",
        password_hash=password_hash,
        display_name="운영팀 Staff",
        is_staff=True,
    )
    return users


def _avatars(ctx: DemoContext) -> None:
    art = art_for(ctx)
    for user in ctx.users:
        kind = AVATARS.get(user.handle)
        if kind is None:
            continue
        data = art.avatar() if kind == "person" else art.picture(kind, width=320, height=320)
        image = demo_image_create(owner=user, data=data)
        if image is not None:
            user_update(user=user, data={"profile_image": image})


def seed(ctx: DemoContext) -> None:
    ctx.users = _users()
    if ctx.with_images:
        _avatars(ctx)
    ctx.notes.append(
        f"Log in as jeju_gyul@demo.tangerine (or any handle@demo.tangerine; staff: "
        f"staff@demo.tangerine) with the password {DEMO_PASSWORD!r}."
    )
