"""Demo data for the social core: distinct posts in Korean, English and both, each with one to
three photos drawn at seed time (``images/demo_art/``) and processed like uploads, with tags,
mentions, follows, likes, comments and replies, so a fresh install's feed looks alive.

Everything goes through the services, so every counter is what the rows say. Authors are picked
by position in ``users`` (the accounts demo's order: the tangerine farm first, the roastery
third...), so each post sounds like its author.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.core.demo import DemoContext
from tangerine.follows.services import follow_create
from tangerine.images.demo_art import DemoArt, art_for, demo_image_create
from tangerine.posts import services
from tangerine.posts.models import Comment, Post, Reply

# (author position, title, text, tags, category, picture kinds). ``{0}``... in a text is the
# handle of the user at that position (a mention).
POSTS: list[tuple[int, str, str, list[str], str, list[str]]] = [
    (0, "올해 첫 감귤 수확", "서귀포 밭에서 올해 첫 감귤을 땄어요. "
     "새콤달콤한 맛이 딱 좋아요 🍊 "
     "이번 주말부터 택배 보냅니다.", ["감귤", "제주", "수확"], "food", ["citrus", "citrus", "sea"]),
    (0, "Tangerine picking weekend", "We open the orchard for picking on Saturdays in December. "
     "Bring gloves, we bring the boxes!", ["jeju", "tangerine", "farm"], "daily", ["citrus"]),
    (0, "귤 보관 꿀팁", "귤은 꼭지가 아래로 가게, 서로 닿지 않게 두면 훨씬 오래가요. "
     "박스째 두지 마세요!", ["감귤", "보관법", "꿀팁"], "food", ["citrus", "jar"]),
    (1, "망원 빈티지 마켓 다녀왔어요", "필름 카메라랑 캔버스 토트백 득템! "
     "둘 다 합쳐서 3만 원이었어요.",
     ["빈티지", "플리마켓", "망원"], "fashion", ["bag", "camera"]),
    (1, "향초 만들기 첫 도전", "소이왁스에 우드윅을 써봤는데 타닥타닥 소리가 너무 좋아요. "
     "향은 베르가못이에요.", ["향초", "diy", "소이캔들"], "home", ["candle", "candle"]),
    (1, "오늘의 코디", "베이지 트렌치코트에 흰 셔츠, 청바지. 가방만 바꿔도 분위기가 달라져요. "
     "Classic never fails.", ["ootd", "가을코디", "트렌치코트"], "fashion", ["bag"]),
    (2, "이번 주 원두: 에티오피아 구지", "자스민, 복숭아, 홍차 느낌. 핸드드립으로 92도, "
     "1:15 비율 추천해요.", ["원두", "핸드드립", "스페셜티"], "food", ["coffee", "mug"]),
    (2, "Latte art practice, day 30", "Thirty days of hearts. Today's finally symmetrical. "
     "Tulips next week?", ["latteart", "barista", "coffee"], "hobby", ["coffee", "coffee"]),
    (2, "망원동 로스터리 2주년", "찾아주신 모든 분들 감사해요. "
     "이번 주 드립백 1+1 이벤트 진행합니다 ☕",
     ["로스터리", "망원동", "이벤트"], "daily", ["mug", "bread"]),
    (3, "저소음 적축 키보드 3주 사용기", "사무실에서 써도 민폐 없는 소리. 타건감은 생각보다 훨씬 "
     "쫀득해요. 키캡은 PBT로 바꿨습니다.", ["키보드", "리뷰", "데스크테리어"], "digital",
     ["keyboard", "keyboard"]),
    (3, "Desk setup, December edition", "New keyboard, a plant from {5} and a mug I will never "
     "wash properly.", ["desksetup", "workspace", "keyboard"], "digital",
     ["keyboard", "mug", "plant"]),
    (3, "", "{2} 원두 정말 맛있네요. 아침마다 한 잔씩 내려 마시는 중 ☕",
     ["커피", "morningcoffee"], "daily", ["coffee"]),
    (4, "비건 초코칩 쿠키", "버터 없이 코코넛오일로 구웠어요. 겉은 바삭, 속은 촉촉! "
     "주말 주문 받습니다.", ["비건", "쿠키", "홈베이킹"], "food", ["bread", "bread"]),
    (4, "Sourdough attempt #7", "Finally an open crumb. 75% hydration, 18 hours cold proof. "
     "Ears are still shy.", ["sourdough", "baking", "bread"], "food", ["bread"]),
    (4, "귤잼 만들기", "귤 1kg, 설탕 400g, 레몬즙 조금. 약불에서 40분. {0} 귤이라 향이 진해요!",
     ["귤잼", "레시피", "homemade"], "food", ["jar", "citrus"]),
    (4, "비 오는 날엔 파전", "비 오는 날엔 역시 파전이죠. Rainy day = pajeon day.",
     ["파전", "rainyday", "집밥"], "food", ["food"]),
    (5, "몬스테라 새 잎 🌿", "구멍 뚫린 새 잎이 드디어 나왔어요. 창가 반양지에 두고 "
     "겉흙 마르면 물 줬어요.", ["몬스테라", "식물", "plantparent"], "home", ["plant"]),
    (5, "초보 식집사에게 추천하는 식물 3", "스투키, 호야, 필레아. 셋 다 물을 자주 안 줘도 "
     "잘 자라요.", ["반려식물", "식집사", "추천"], "home", ["plant", "plant", "plant"]),
    (5, "Repotting day", "Terracotta for the succulents, glazed pots for the thirsty ones. "
     "Drainage holes, always.", ["repotting", "plants", "terracotta"], "home",
     ["plant", "ceramic"]),
    (5, "집에서 만든 천연 비누", "감귤 껍질 오일을 넣었더니 향이 상큼해요. 4주 숙성 중!",
     ["천연비누", "diy", "감귤"], "beauty", ["soap", "soap"]),
    (6, "협재 바다 앞 캠핑", "해 질 녘 바다가 이렇게 예쁠 줄이야. 바람이 세니까 팩은 꼭 "
     "단단히 박으세요.", ["캠핑", "제주", "바다"], "hobby", ["sea", "food"]),
    (6, "Morning run by the sea", "5 km along the coast before work. The air smelled of salt "
     "and tangerines.", ["running", "jeju", "morning"], "daily", ["sea"]),
    (6, "캠핑용 머그 추천해주세요", "스테인리스는 입술이 뜨겁고, 법랑은 무거워서 고민이에요. "
     "{8} 님은 뭐 쓰세요?", ["캠핑", "머그", "질문"], "hobby", ["mug"]),
    (7, "12월 독립출판물 입고", "여행 에세이 두 권, 시집 한 권, 그림책 한 권이 들어왔어요. "
     "책방은 화요일 휴무입니다.", ["독립출판", "책방", "신간"], "hobby", ["books", "books"]),
    (7, "Reading list for December", "Three novels and one book about design. Any Korean novels "
     "you'd recommend in translation?", ["books", "reading", "독서"], "hobby",
     ["books", "coffee"]),
    (7, "책방 고양이 소개합니다", "이름은 두부. 손님 무릎 위에서 자는 게 특기예요 🐈",
     ["책방고양이", "고양이", "두부"], "pets", ["pet", "books"]),
    (8, "Winter scarf, finally done", "Six weeks of evenings, merino and a little alpaca. "
     "The fringe took longer than the scarf.", ["knitting", "scarf", "handmade"], "fashion",
     ["knit", "knit"]),
    (8, "비니 주문제작 받아요", "색상 12가지, 사이즈 맞춤 가능해요. "
     "제작 기간은 일주일 정도 걸려요.",
     ["비니", "주문제작", "뜨개"], "fashion", ["knit"]),
    (8, "부산 뜨개 모임 후기", "{11} 님이 그려주신 도안으로 다 같이 떴어요. 다음 달에도 모여요!",
     ["뜨개모임", "부산", "knitting"], "hobby", ["knit", "mug"]),
    (9, "미래의 주말 산책", "오름 둘레길은 경사가 완만해서 노견이랑 걷기 좋아요. 미래는 벌써 "
     "아홉 살 🐕", ["시바견", "산책", "오름"], "pets", ["pet", "sea"]),
    (9, "수제 간식 만드는 날", "닭가슴살 육포랑 고구마 큐브. 첨가물 없이 건조기로만 만들어요.",
     ["강아지간식", "수제간식", "반려견"], "pets", ["bread", "pet"]),
    (9, "Shedding season again", "Shiba owners, how do you survive? I brushed out a whole "
     "second dog this morning.", ["shiba", "dogs", "shedding"], "pets", ["pet"]),
    (10, "1970년대 필름 카메라 수리 완료", "셔터막 교체하고 노출계 살렸어요. 첫 롤 현상 "
     "결과가 기대됩니다.", ["필름카메라", "수리", "빈티지"], "digital", ["camera", "camera"]),
    (10, "Listening session tonight", "Vinyl, candles and a pot of tea. Restored amp on the "
     "left, still warming up.", ["vinyl", "audio", "vintage"], "hobby", ["candle", "mug"]),
    (11, "도자기 원데이 클래스", "처음 물레를 돌려봤는데 생각보다 어렵네요. "
     "그래도 그릇 두 개 완성!",
     ["도자기", "원데이클래스", "물레"], "hobby", ["ceramic", "ceramic"]),
    (11, "Sketching at the 5-day market", "Tangerines, baskets and a very patient grandmother "
     "selling them. New postcards soon ✏️", ["sketch", "market", "illustration"], "hobby",
     ["citrus", "bag"]),
    (11, "새 엽서 작업 중", "제주 시리즈 다섯 장, 다음 주에 공개할게요. 초안 보고 의견 주세요!",
     ["일러스트", "엽서", "작업중"], "hobby", ["books"]),
]  # fmt: skip
# A draft stays visible to its author only.
DRAFTS = {"새 엽서 작업 중"}

COMMENTS = [
    "와 너무 예뻐요!", "Love this 😍", "어디서 구할 수 있어요?", "Where is this?",
    "저도 해봐야겠어요", "This made my day", "사진 색감 너무 좋아요", "Totally agree!",
    "정보 감사합니다 🙏", "Need this in my life", "다음에 같이 가요!", "How long did it take?",
    "대박... 금손이시네요", "Great tip, thanks!", "주말에 방문해볼게요", "Saving this for later",
    "이거 보고 바로 주문했어요", "So cozy", "가격이 궁금해요", "Beautiful light in this one",
    "우와 부지런하세요", "I tried this last week, it works", "다음 편도 기대할게요",
]  # fmt: skip
REPLIES = [
    "감사합니다 😊", "Thank you!", "동네 시장에서 샀어요!", "Link in my profile",
    "꼭 해보세요", "Haha same", "좋아요, 같이 가요", "About a week", "맞아요 ㅎㅎ",
    "DM 주세요!", "Glad it helped", "다음엔 더 잘 찍어볼게요",
]  # fmt: skip


def _text(template: str, users: list[User]) -> str:
    """``template`` with ``{n}`` replaced by a mention of the user at position n (cycling)."""
    return re.sub(r"\{(\d+)\}", lambda m: f"@{users[int(m[1]) % len(users)].handle}", template)


def _photos(*, author: User, kinds: list[str], art: DemoArt | None) -> list[object]:
    if art is None:
        return []
    uuids: list[object] = []
    for kind in kinds:
        image = demo_image_create(owner=author, data=art.picture(kind))
        if image is not None:
            uuids.append(image.uuid)
    return uuids


def seed(
    *, users: list[User], rng: random.Random, with_images: bool = True, art: DemoArt | None = None
) -> list[Post]:
    """Create the posts of ``POSTS`` (with photos unless ``with_images`` is false), follows,
    likes, comments and replies among ``users``. Deterministic for a given ``rng``."""
    if not users:
        return []
    if with_images and art is None:
        art = DemoArt(rng)
    # Follows: everyone follows a few others, so each feed has something in it.
    for user in users:
        others = [u for u in users if u.pk != user.pk]
        for followee in rng.sample(others, k=min(len(others), rng.randint(3, 5))):
            follow_create(follower=user, followee=followee)

    now = timezone.now()
    posts: list[Post] = []
    ages = sorted((rng.randint(1, 14 * 24 * 60) for _ in POSTS), reverse=True)
    for (position, title, text, tags, category, kinds), age in zip(POSTS, ages, strict=True):
        author = users[position % len(users)]
        post = services.post_create(
            author=author,
            title=title,
            text=_text(text, users),
            tags=tags,
            category=category,
            status=Post.Status.DRAFT if title in DRAFTS else Post.Status.PUBLISHED,
            images=_photos(author=author, kinds=kinds, art=art if with_images else None),
        )
        created = now - timedelta(minutes=age)
        Post.objects.filter(pk=post.pk).update(
            created_at=created, updated_at=created, view_count=rng.randint(5, 400)
        )
        post.created_at = created
        posts.append(post)

    published = [p for p in posts if p.status == Post.Status.PUBLISHED]
    comments: list[Comment] = []
    for post in published:
        others = [u for u in users if u.pk != post.author_id]
        if not others:  # a community of one: nobody to like or comment
            continue
        # Likes, follows and saves each ring a notification (~30 ms each): a believable few.
        for user in rng.sample(others, k=rng.randint(1, min(7, len(others)))):
            services.like_create(kind=services.POST, user=user, target=post)
        count = rng.randint(1, min(4, len(others)))
        # Each commenter once per post, each with their own words.
        for text, commenter in zip(
            rng.sample(COMMENTS, k=count), rng.sample(others, k=count), strict=True
        ):
            comment = services.comment_create(post=post, author=commenter, text=text)
            _backdate(comment, after=post.created_at, rng=rng)
            comments.append(comment)
            if rng.random() < 0.55:
                reply_author = post.author if rng.random() < 0.75 else rng.choice(users)
                reply: Reply = services.reply_create(
                    comment=comment, author=reply_author, text=rng.choice(REPLIES)
                )
                _backdate(reply, after=comment.created_at, rng=rng)
                if rng.random() < 0.5 and reply_author.pk != comment.author_id:
                    services.like_create(kind=services.REPLY, user=comment.author, target=reply)
    for comment in comments:
        for user in rng.sample(users, k=rng.choice((0, 0, 1, 2))):
            services.like_create(kind=services.COMMENT, user=user, target=comment)
    return posts


def _backdate(item: Comment | Reply, *, after: datetime, rng: random.Random) -> None:
    """Place a comment or reply between ``after`` and now (it was written after its parent)."""
    now = timezone.now()
    span = max(60, int((now - after).total_seconds()))
    when = min(now, after + timedelta(seconds=rng.randint(60, span)))
    type(item).objects.filter(pk=item.pk).update(created_at=when, updated_at=when)
    item.created_at = when


def step(ctx: DemoContext) -> None:
    seed(users=ctx.users, rng=ctx.rng, with_images=ctx.with_images, art=art_for(ctx))
