"""Everything that rings a bell: the writes of other apps that notify someone.

Connected in ``NotificationsConfig.ready``. Each receiver runs inside the sender's transaction,
so a notification is stored together with the like, comment or follow that caused it (and the
socket push waits for the commit, in ``notification_create``).
"""

from __future__ import annotations

from tangerine.accounts.models import User
from tangerine.follows import hooks as follows
from tangerine.notifications import services
from tangerine.posts import hooks as posts
from tangerine.posts.models import Comment, Post, Reply
from tangerine.products import hooks as products
from tangerine.products.models import Product


def _on_followed(event: follows.Followed) -> None:
    services.notify_follow(follower=event.follower, followee=event.followee)


def _on_comment(event: posts.CommentCreated) -> None:
    services.notify_comment(comment=event.comment)


def _on_reply(event: posts.ReplyCreated) -> None:
    services.notify_reply(reply=event.reply)


def _on_liked(event: posts.Liked) -> None:
    target = event.target
    if isinstance(target, Post):
        services.notify_post_liked(user=event.user, post=target)
    elif isinstance(target, Comment):
        services.notify_comment_liked(user=event.user, comment=target)
    elif isinstance(target, Reply):
        services.notify_reply_liked(user=event.user, reply=target)


def _on_store_link_changed(event: products.StoreLinkChanged) -> None:
    """The seller's store link needs a fix (broken, another price, out of stock): one notice
    per newly found issue set; the product page shows the one-tap fix."""
    product = Product.objects.filter(pk=event.product_id).select_related("owner").first()
    if product is None:
        return
    services.notify_store_link(product=product, issues=event.issues)


def _on_mentioned(event: posts.Mentioned) -> None:
    services.notify_mentioned(author=event.author, target=event.target, users=event.users)


def _on_product_saved(event: products.ProductSaved) -> None:
    product = Product.objects.select_related("owner").filter(pk=event.product_id).first()
    user = User.objects.filter(pk=event.user_id).first()
    if product is not None and user is not None:
        services.notify_product_saved(user=user, product=product)


def connect() -> None:
    products.store_link_changed.connect(_on_store_link_changed)
    follows.followed.connect(_on_followed)
    posts.comment_created.connect(_on_comment)
    posts.reply_created.connect(_on_reply)
    posts.liked.connect(_on_liked)
    posts.mentioned.connect(_on_mentioned)
    products.product_saved.connect(_on_product_saved)
