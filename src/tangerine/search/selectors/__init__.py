"""Search and recommendation reads (see docs/search.md).

Every result passes a database visibility check at query time (published, not hidden, author
active and not suspended, no block either way, row still exists), whatever the index says, so a
late index job can never expose a draft, hidden, deleted or blocked item.
"""

from tangerine.search.selectors.common import (
    KINDS,
    QUERY_MAX_LENGTH,
    item_cards,
    post_cards,
    product_cards,
    visible_items,
    visible_posts,
    visible_products,
    visible_users,
)
from tangerine.search.selectors.query import Hit, SearchResult, Section, item_text, search
from tangerine.search.selectors.recommend import (
    RECOMMEND_MAX,
    Recommendation,
    Signal,
    dwell_weight,
    post_recommendations,
    product_recommendation_page,
    product_recommendations,
    taste_signals,
)
from tangerine.search.selectors.similar import SIMILAR_MAX, SimilarItem, SimilarPage, similar_items

__all__ = [
    "KINDS",
    "QUERY_MAX_LENGTH",
    "RECOMMEND_MAX",
    "SIMILAR_MAX",
    "Hit",
    "Recommendation",
    "SearchResult",
    "Section",
    "Signal",
    "SimilarItem",
    "SimilarPage",
    "dwell_weight",
    "item_cards",
    "item_text",
    "post_cards",
    "post_recommendations",
    "product_cards",
    "product_recommendation_page",
    "product_recommendations",
    "search",
    "similar_items",
    "taste_signals",
    "visible_items",
    "visible_posts",
    "visible_products",
    "visible_users",
]
