"""What keeps the search index in step with the content (connected in ``SearchConfig.ready``).

Each receiver only enqueues an index job, which runs after the sender's transaction commits
(``core.tasks``); with ``SEARCH_INDEX_SYNC`` off they do nothing and ``manage.py reindex``
catches the index up later.
"""

from __future__ import annotations

from tangerine.accounts import hooks as accounts
from tangerine.posts import hooks as posts
from tangerine.products import hooks as products
from tangerine.search import services


def _post_changed(event: posts.PostChanged) -> None:
    services.post_changed(post_id=event.post_id)


def _post_deleted(event: posts.PostDeleted) -> None:
    services.post_deleted(post_id=event.post_id)


def _product_changed(event: products.ProductChanged) -> None:
    services.product_changed(product_id=event.product_id)


def _product_deleted(event: products.ProductDeleted) -> None:
    services.product_deleted(product_id=event.product_id)


def _user_standing_changed(event: accounts.UserStandingChanged) -> None:
    services.user_changed(user_id=event.user_id)


def _user_deleted(event: accounts.UserDeleted) -> None:
    services.user_deleted(user_id=event.user_id)


def connect() -> None:
    posts.post_changed.connect(_post_changed)
    posts.post_deleted.connect(_post_deleted)
    products.product_changed.connect(_product_changed)
    products.product_deleted.connect(_product_deleted)
    accounts.user_standing_changed.connect(_user_standing_changed)
    accounts.user_deleted.connect(_user_deleted)
