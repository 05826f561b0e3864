"""Demo chats for ``manage.py seed_demo``: two group rooms, a one-to-one room and buyers asking
sellers about demo products, with message histories spread over the last days (one photo
message from a seller). Some members have read everything, others have unread messages, so the
chat list and its badges show what they are for. Messages go through ``message_send``.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.chats.models import Membership, Message, Room
from tangerine.chats.services import (
    membership_mark_read,
    message_send,
    product_room_open,
    room_create,
)
from tangerine.core.demo import DemoContext
from tangerine.images.demo_art import DemoArt, art_for, demo_image_create
from tangerine.products.models import Product

# A line of a conversation: (speaker position in ``users``, text). A text "[photo:kind]" is a
# photo message of that picture kind.
Line = tuple[int, str]

GROUPS: list[tuple[str, list[int], list[Line]]] = [
    ("제주 플리마켓 셀러 모임", [0, 4, 11, 1, 8], [
        (0, "이번 주 토요일 플리마켓 다들 참가하시죠?"),
        (4, "네! 쿠키 박스 40개 준비 중이에요 🍪"),
        (11, "저는 새 엽서 들고 갈게요. 테이블 하나 같이 쓰실 분?"),
        (1, "저요! 향초랑 엽서 잘 어울릴 것 같아요"),
        (8, "I'll bring beanies. Is there power at the venue?"),
        (0, "전기는 부스마다 하나씩 있어요. 멀티탭 챙기세요!"),
        (4, "주차는 어디에 하면 돼요?"),
        (0, "시장 뒤편 공영주차장이요. 9시 전에 오시면 자리 있어요"),
        (11, "그럼 토요일 8시 반에 만나요 🙌"),
    ]),
    ("Weekend hikers", [6, 3, 9, 5], [
        (6, "Saturday: 사려니숲길, 8 am at the north entrance?"),
        (3, "I'm in. Bringing coffee from @seoul_coffee"),
        (9, "미래도 데려가도 될까요? 목줄 꼭 할게요 🐕"),
        (6, "Of course! Dogs are allowed on that trail."),
        (5, "저는 가는 길에 식물 구경하고 싶어요. 10분만 늦을게요"),
        (3, "No rush. Rain forecast is 20%, bring a jacket just in case"),
    ]),
]  # fmt: skip

DIRECT: list[tuple[int, int, list[Line]]] = [
    (11, 1, [
        (11, "민지님, 지난번 말씀하신 일러스트 협업 아직 생각 있으세요?"),
        (1, "네! 향초 라벨 디자인 부탁드리고 싶어요"),
        (11, "좋아요. 레퍼런스 몇 개 보내주시면 시안 잡아볼게요"),
        (1, "오늘 저녁에 정리해서 보낼게요 😊"),
    ]),
]  # fmt: skip

# (buyer position, product name from products/demo.py, conversation; 'S' lines are the seller's)
ASKS: list[tuple[int, str, list[tuple[str, str]]]] = [
    (3, "제주 노지 감귤 5kg", [
        ("B", "안녕하세요, 감귤 5kg 두 박스 주문 가능할까요?"),
        ("S", "네 가능해요! 오늘 딴 귤로 보내드릴게요"),
        ("S", "[photo:citrus]"),
        ("B", "와 싱싱하네요. 서울 마포구로 보내주세요"),
        ("S", "스토어에서 주문하시면 내일 발송해요 🍊"),
    ]),
    (1, "빈티지 필름 카메라", [
        ("B", "카메라 아직 있나요?"),
        ("S", "죄송해요, 어제 판매됐어요. 비슷한 거 들어오면 연락드릴게요"),
        ("B", "아쉽네요 ㅠㅠ 꼭 연락 주세요!"),
    ]),
    (7, "Hand-knit beanie", [
        ("B", "Hi! Could you make the beanie in forest green?"),
        ("S", "Sure, green is one of the twelve colours. About a week."),
        ("B", "Perfect, I'll order today. Thank you!"),
    ]),
    (6, "비건 쿠키 박스", [
        ("B", "쿠키 박스 캠핑 가기 전에 받을 수 있을까요? 금요일이요"),
        ("S", "목요일까지 주문하시면 금요일 오전 도착이에요"),
    ]),
]  # fmt: skip


def _say(
    *, room: Room, speaker: User, text: str, art: DemoArt | None, rng: random.Random
) -> Message | None:
    image = None
    if text.startswith("[photo:"):
        if art is None:
            return None
        picture = demo_image_create(owner=speaker, data=art.picture(text[7:-1], height=540))
        if picture is None:
            return None
        image, text = picture.uuid, ""
    return message_send(
        sender=speaker,
        room_uuid=room.uuid,
        text=text,
        client_id=f"demo-{rng.getrandbits(48):x}",
        image=image,
    ).message


def _conversation(
    *,
    room: Room,
    lines: list[tuple[User, str]],
    art: DemoArt | None,
    rng: random.Random,
    hours_ago: int,
    unread_for: User | None,
) -> None:
    """Send ``lines`` in order, spread over the hours before now; everyone but ``unread_for``
    has read the whole room (``unread_for`` has read all but the last two messages)."""
    start = timezone.now() - timedelta(hours=hours_ago)
    when = start
    sent: list[Message] = []
    for speaker, text in lines:
        message = _say(room=room, speaker=speaker, text=text, art=art, rng=rng)
        if message is None:
            continue
        when = min(timezone.now(), when + timedelta(minutes=rng.randint(1, 90)))
        Message.objects.filter(pk=message.pk).update(created_at=when, updated_at=when)
        sent.append(message)
    if not sent:
        return
    Room.objects.filter(pk=room.pk).update(created_at=start, updated_at=when)
    for membership in Membership.objects.filter(room=room).select_related("user"):
        last = sent[-1].seq
        if unread_for is not None and membership.user_id == unread_for.pk:
            last = sent[-3].seq if len(sent) >= 3 else 0
        if last > membership.last_read_seq:
            membership_mark_read(user=membership.user, room_uuid=room.uuid, seq=last)


def seed(
    *, users: list[User], rng: random.Random, with_images: bool = True, art: DemoArt | None = None
) -> list[Room]:
    """Create the rooms above among ``users`` (positions as in the accounts demo)."""
    if len(users) < 2:
        return []
    if with_images and art is None:
        art = DemoArt(rng)
    art = art if with_images else None

    def person(position: int) -> User:
        return users[position % len(users)]

    rooms: list[Room] = []
    for hours, (name, members, lines) in zip((70, 30), GROUPS, strict=True):
        creator = person(members[0])
        handles = [person(p).handle for p in members[1:] if person(p).pk != creator.pk]
        room = room_create(creator=creator, handles=handles, name=name)
        said = [(person(p), text) for p, text in lines]
        _conversation(
            room=room, lines=said, art=art, rng=rng, hours_ago=hours, unread_for=person(0)
        )
        rooms.append(room)
    for a, b, lines in DIRECT:
        room = room_create(creator=person(a), handles=[person(b).handle])
        said = [(person(p), text) for p, text in lines]
        _conversation(room=room, lines=said, art=art, rng=rng, hours_ago=20, unread_for=None)
        rooms.append(room)
    by_name = {p.name: p for p in Product.objects.filter(owner__in=users)}
    for buyer_position, product_name, talk in ASKS:
        product, buyer = by_name.get(product_name), person(buyer_position)
        if product is None or product.owner_id == buyer.pk:
            continue
        room = product_room_open(buyer=buyer, product_uuid=product.uuid).room
        seller = product.owner
        said = [(buyer if who == "B" else seller, text) for who, text in talk]
        _conversation(
            room=room,
            lines=said,
            art=art,
            rng=rng,
            hours_ago=rng.randint(3, 48),
            unread_for=seller,
        )
        rooms.append(room)
    return rooms


def step(ctx: DemoContext) -> None:
    seed(users=ctx.users, rng=ctx.rng, with_images=ctx.with_images, art=art_for(ctx))
