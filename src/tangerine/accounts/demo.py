"""Demo people for ``manage.py seed_demo``: twelve members and one staff account.

Development only: every demo account shares ``DEMO_PASSWORD`` (documented in the README).
"""

from __future__ import annotations

from tangerine.accounts.models import User
from tangerine.core.demo import DemoContext

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


def _users() -> list[User]:
    users = []
    for handle, name, bio, link in PEOPLE:
        users.append(
            User.objects.create_user(
                email=f"{handle}@demo.tangerine",
                handle=handle,
                password=DEMO_PASSWORD,
                display_name=name,
                bio=bio,
                link_1=link,
            )
        )
    User.objects.create_user(
        email="staff@demo.tangerine",
        handle="staff_demo",
        password=DEMO_PASSWORD,
        display_name="운영팀 Staff",
        is_staff=True,
    )
    return users


def seed(ctx: DemoContext) -> None:
    ctx.users = _users()
    ctx.notes.append(
        f"Log in as jeju_gyul@demo.tangerine (or any handle@demo.tangerine; staff: "
        f"staff@demo.tangerine) with the password {DEMO_PASSWORD!r}."
    )
