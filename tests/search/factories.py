"""Posts and products created the way their services do, then indexed through search.services."""

from __future__ import annotations

from typing import Any

from tangerine.accounts.models import User
from tangerine.posts.models import Post, Tag
from tangerine.products.models import Product
from tangerine.search import services


def make_post(
    *,
    author: User,
    title: str = "",
    text: str = "text",
    tags: list[str] | None = None,
    status: str = Post.Status.PUBLISHED,
    index: bool = True,
    **extra: Any,
) -> Post:
    post = Post.objects.create(author=author, title=title, text=text, status=status, **extra)
    if tags:
        post.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    if index:
        services.post_changed(post_id=post.pk)
    return post


def make_product(
    *,
    owner: User,
    name: str = "product",
    description: str = "",
    price: int = 10000,
    index: bool = True,
    **extra: Any,
) -> Product:
    product = Product.objects.create(
        owner=owner,
        name=name,
        description=description,
        price=price,
        link="https://shop.example.com/item",
        **extra,
    )
    if index:
        services.product_changed(product_id=product.pk)
    return product
