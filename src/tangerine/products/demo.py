"""Demo products for ``manage.py seed_demo``: distinct Korean and English listings across
categories, sale statuses and currencies, each with photos drawn at seed time
(``images/demo_art/``) and processed like uploads, with store links and saves (찜).

Store links point at ``*.example.*`` hosts, which do not resolve. So that the first
``make run`` does not spend its first store-link sweep on them (and count failures toward
"broken" at once), the demo marks every listing as checked when it is created: the checker
(``products/linkcheck.py``) first looks at them a day later, like any listing checked today.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.core.demo import DemoContext
from tangerine.images.demo_art import DemoArt, art_for, demo_image_create
from tangerine.products.models import Product
from tangerine.products.services import product_create, product_save

# (owner position, name, description, price in minor units, currency, category, status,
#  store path, picture kinds)
CATALOGUE: list[tuple[int, str, str, int, str, str, str, str, list[str]]] = [
    (0, "제주 노지 감귤 5kg", "서귀포 농장에서 오늘 수확한 노지 감귤입니다. 크기 혼합, 새콤달콤!",
     24900, "KRW", "food", "on_sale", "jeju-tangerine-5kg", ["citrus", "citrus"]),
    (0, "한라봉 선물세트 3kg", "명절 선물용 한라봉, 개별 포장에 보자기 포장까지 해드려요.",
     39000, "KRW", "food", "reserved", "hallabong-gift-3kg", ["citrus"]),
    (4, "감귤 수제 잼 250g", "설탕을 줄이고 감귤 과육을 듬뿍 넣었어요. 냉장 보관 3개월.",
     8500, "KRW", "food", "on_sale", "tangerine-jam-250g", ["jar"]),
    (11, "Handmade ceramic mug", "Wheel-thrown stoneware mug, 350 ml, dishwasher safe. "
     "Each glaze comes out a little different.", 2800, "USD", "home", "on_sale",
     "ceramic-mug", ["mug", "mug"]),
    (1, "Linen tote bag", "Natural linen with an inner pocket, made in Seoul. Fits a laptop.",
     1900, "USD", "fashion", "on_sale", "linen-tote", ["bag"]),
    (5, "감귤 천연 비누 3종", "감귤 껍질 오일로 만든 저자극 비누. 4주 숙성했어요.",
     15000, "KRW", "beauty", "on_sale", "citrus-soap-set", ["soap", "soap"]),
    (1, "소이 캔들 200ml", "베르가못 향 소이캔들, 우드윅이라 타닥타닥 소리가 나요. 연소 40시간.",
     18000, "KRW", "home", "on_sale", "soy-candle-200", ["candle"]),
    (2, "드립백 커피 10개입", "이번 주 로스팅한 에티오피아 구지. 한 잔씩 간편하게.",
     12000, "KRW", "food", "on_sale", "dripbag-10", ["coffee"]),
    (10, "빈티지 필름 카메라", "셔터막 교체, 노출계 작동 확인 완료. 필름 1롤 증정.",
     120000, "KRW", "digital", "sold_out", "vintage-film-camera", ["camera", "camera"]),
    (8, "Hand-knit beanie", "Merino wool, one size, twelve colours. Made to order in a week.",
     3500, "USD", "fashion", "on_sale", "knit-beanie", ["knit"]),
    (8, "메리노 울 머플러", "손으로 뜬 두툼한 머플러. 술 장식 포함, 길이 180cm.",
     68000, "KRW", "fashion", "reserved", "merino-scarf", ["knit", "knit"]),
    (3, "저소음 기계식 키보드", "3주 사용, 박스 포함. PBT 키캡으로 교체했어요.",
     89000, "KRW", "digital", "on_sale", "silent-keyboard", ["keyboard"]),
    (5, "몬스테라 중품", "수형 예쁜 몬스테라, 토분 포함. 직거래 우대.",
     25000, "KRW", "plants", "on_sale", "monstera-medium", ["plant"]),
    (5, "Pilea in a glazed pot", "The Chinese money plant, easy for beginners, 12 cm pot.",
     1650, "EUR", "plants", "sold_out", "pilea-glazed", ["plant", "ceramic"]),
    (7, "독립출판 여행 에세이 세트", "제주와 부산을 걷는 에세이 두 권. 책방 유나 추천.",
     27000, "KRW", "books", "on_sale", "travel-essay-set", ["books"]),
    (4, "비건 쿠키 박스", "초코칩, 얼그레이, 피넛버터 쿠키 9개입. 주말 발송.",
     16000, "KRW", "food", "on_sale", "vegan-cookie-box", ["bread"]),
    (9, "강아지 수제 간식 세트", "닭가슴살 육포와 고구마 큐브, 첨가물 없이 건조했어요.",
     13500, "KRW", "pets", "on_sale", "dog-treats-set", ["bread", "pet"]),
    (11, "Stoneware bowl set", "Two nesting bowls in a speckled glaze, food safe.",
     4200, "USD", "home", "on_sale", "stoneware-bowls", ["ceramic"]),
    (6, "캠핑 법랑 머그", "가볍고 튼튼한 법랑 머그 2개 세트. 캠핑장 필수템.",
     14000, "KRW", "sports", "on_sale", "enamel-camp-mug", ["mug"]),
]  # fmt: skip
STORES = ["shop.example.com", "store.example.net", "market.example.org", "smartstore.example.com"]


def seed(
    *,
    users: list[User],
    rng: random.Random,
    with_images: bool = True,
    art: DemoArt | None = None,
) -> list[Product]:
    """Create the ``CATALOGUE`` (owners by position in ``users``), photos, saves and counters."""
    if not users:
        return []
    if with_images and art is None:
        art = DemoArt(rng)
    now = timezone.now()
    products: list[Product] = []
    for position, name, description, price, currency, category, status, path, kinds in CATALOGUE:
        owner = users[position % len(users)]
        images = []
        if art is not None:
            for kind in kinds:
                image = demo_image_create(owner=owner, data=art.picture(kind, height=540))
                if image is not None:
                    images.append(image.uuid)
        product = product_create(
            owner=owner,
            name=name,
            description=description,
            price=price,
            currency=currency,
            category=category,
            status=status,
            link=f"https://{rng.choice(STORES)}/items/{path}-{rng.randint(1000, 9999)}",
            images=images,
        )
        created = now - timedelta(hours=rng.randint(2, 20 * 24))
        # Believable popularity for the recommendation list.
        Product.objects.filter(pk=product.pk).update(
            created_at=created,
            updated_at=created,
            like_count=rng.randint(0, 40),
            view_count=rng.randint(10, 500),
        )
        products.append(product)
    links_checked_now(products)
    for product in products:
        others = [u for u in users if u.pk != product.owner_id]
        for user in rng.sample(others, k=rng.randint(0, min(3, len(others)))):
            product_save(user=user, product=product)
    return products


def links_checked_now(products: list[Product]) -> None:
    """Mark demo listings' store links as checked now (see the module docstring)."""
    Product.objects.filter(pk__in=[p.pk for p in products]).update(link_checked_at=timezone.now())


def step(ctx: DemoContext) -> None:
    ctx.shared["products"] = seed(
        users=ctx.users, rng=ctx.rng, with_images=ctx.with_images, art=art_for(ctx)
    )
