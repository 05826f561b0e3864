from __future__ import annotations

import factory

from tangerine.products.models import Product
from tests.factories import UserFactory


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    class Meta:
        model = Product

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"제주 감귤 {n}kg")
    description = "Sweet tangerines from Jeju."
    price = 12900
    currency = "KRW"
    link = factory.Sequence(lambda n: f"https://shop.example.com/items/{n}")
