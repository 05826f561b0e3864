"""Demo products for ``manage.py seed_demo``: Korean and English listings with store links.

Each product gets one picture drawn with OpenCV and run through the real image pipeline
(a few tens of milliseconds each), so the demo shows processed variants, not placeholders.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from tangerine.images.models import Image
from tangerine.images.tasks import image_process
from tangerine.integrations import imaging
from tangerine.integrations.storage import image_storage
from tangerine.products.services import product_create

# (name, description, price in minor units, currency, store path, picture colour, ASCII label)
CATALOGUE: list[tuple[str, str, int, str, str, tuple[int, int, int], str]] = [
    (
        "제주 감귤 5kg",
        "서귀포 농장에서 오늘 수확한 노지 감귤입니다. 새콤달콤!",
        24900,
        "KRW",
        "jeju-tangerine-5kg",
        (255, 160, 40),
        "Jeju tangerine",
    ),
    (
        "한라봉 선물세트 3kg",
        "명절 선물용 한라봉, 개별 포장.",
        39000,
        "KRW",
        "hallabong-gift-3kg",
        (250, 140, 30),
        "Hallabong gift",
    ),
    (
        "감귤 수제 잼 250g",
        "설탕을 줄이고 감귤 과육을 듬뿍 넣었어요.",
        8500,
        "KRW",
        "tangerine-jam-250g",
        (240, 120, 40),
        "Tangerine jam",
    ),
    (
        "Handmade ceramic mug",
        "Wheel-thrown stoneware mug, 350 ml, dishwasher safe.",
        2800,
        "USD",
        "ceramic-mug",
        (120, 160, 200),
        "Ceramic mug",
    ),
    (
        "Linen tote bag",
        "Natural linen, inner pocket, made in Seoul.",
        1900,
        "USD",
        "linen-tote",
        (200, 190, 160),
        "Linen tote",
    ),
    (
        "천연 비누 세트",
        "감귤 껍질 오일로 만든 저자극 비누 3종.",
        15000,
        "KRW",
        "citrus-soap-set",
        (250, 200, 80),
        "Citrus soap",
    ),
    (
        "귤 모양 키링",
        "손바느질 펠트 키링. 색상 랜덤.",
        6000,
        "KRW",
        "tangerine-keyring",
        (255, 150, 60),
        "Keyring",
    ),
    (
        "Cold-brew citrus tea",
        "Dried tangerine peel and green tea, 20 bags.",
        1450,
        "EUR",
        "citrus-tea-20",
        (170, 200, 120),
        "Citrus tea",
    ),
    (
        "빈티지 필름 카메라",
        "작동 확인 완료, 필름 1롤 증정.",
        120000,
        "KRW",
        "vintage-film-camera",
        (90, 90, 100),
        "Film camera",
    ),
    (
        "Hand-knit beanie",
        "Merino wool, one size, tangerine orange.",
        3500,
        "USD",
        "knit-beanie",
        (240, 130, 50),
        "Beanie",
    ),
    (
        "제주 돌하르방 미니어처",
        "현무암으로 만든 손바닥 크기 돌하르방.",
        18000,
        "KRW",
        "dolharubang-mini",
        (110, 110, 110),
        "Dolharubang",
    ),
    (
        "감귤 초콜릿 12입",
        "제주 감귤 분말을 넣은 화이트 초콜릿.",
        9900,
        "KRW",
        "tangerine-chocolate-12",
        (250, 180, 90),
        "Chocolate",
    ),
]
STORES = ["shop.example.com", "store.example.net", "market.example.org", "smartstore.example.com"]


def _demo_image(*, owner: Any, rgb: tuple[int, int, int], label: str) -> Image | None:
    data = imaging.placeholder_jpeg(width=960, height=720, rgb=rgb, label=label)
    image_uuid = uuid.uuid4()
    image = Image.objects.create(
        uuid=image_uuid,
        owner=owner,
        content_type="image/jpeg",
        size=len(data),
        key=f"uploads/{owner.uuid}/{image_uuid}",
        status=Image.Status.PROCESSING,
    )
    image_storage().original_put(key=image.key, data=data)
    image_process(image_id=image.pk)  # synchronously: the demo should start with ready images
    image.refresh_from_db()
    return image if image.status == Image.Status.READY else None


def seed(*, users: list[Any], rng: random.Random, with_images: bool = True) -> None:
    """Create about two products per user (at least the whole catalogue once)."""
    if not users:
        return
    count = max(len(CATALOGUE), 2 * len(users))
    for i in range(count):
        name, description, price, currency, path, rgb, label = CATALOGUE[i % len(CATALOGUE)]
        owner = users[i % len(users)] if i < len(users) else rng.choice(users)
        images = []
        if with_images:
            image = _demo_image(owner=owner, rgb=rgb, label=label)
            if image is not None:
                images.append(image.uuid)
        product = product_create(
            owner=owner,
            name=name,
            description=description,
            price=price,
            currency=currency,
            link=f"https://{rng.choice(STORES)}/items/{path}-{rng.randint(1000, 9999)}",
            images=images,
        )
        # Some believable popularity for the recommendation list.
        type(product).objects.filter(pk=product.pk).update(
            like_count=rng.randint(0, 40), view_count=rng.randint(0, 500)
        )
