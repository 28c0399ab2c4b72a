"""The words for sort orders: strong phrases, "by price", and weak adjectives such as "cheap"."""

from __future__ import annotations

from chalicelib.domain.filters import SortBy
from chalicelib.language.vocabulary.word_tables import words

# (phrase regex, order). Strong phrases name a direction and beat "by price" (which only names a field),
# which beats the weak adjectives: "cheap dogs, youngest first" sorts by age, "by price, high to low" desc.
STRONG_SORTS: tuple[tuple[str, SortBy], ...] = (
    (
        r"cheapest|least expensive|lowest[- ]price[ds]?|lowest cost|low(?:est)? to high(?:est)?"
        r"|price ascending|best deals?",
        SortBy.PRICE_ASC,
    ),
    (
        r"most expensive|priciest|highest[- ]price[ds]?|high(?:est)? to low(?:est)?|price descending"
        r"|most costly",
        SortBy.PRICE_DESC,
    ),
    (r"youngest|newest|age ascending", SortBy.AGE_ASC),
    (r"oldest|age descending", SortBy.AGE_DESC),
)
FIELD_SORTS: tuple[tuple[str, SortBy], ...] = (
    (r"(?:by|on) price|price order", SortBy.PRICE_ASC),
    (r"(?:by|on) age|age order", SortBy.AGE_ASC),
)
WEAK_SORTS: tuple[tuple[str, SortBy], ...] = (
    # "budget" the adjective ("budget pets"), not the noun ("my budget is around $800")
    (
        r"not (?:too |very |that |so |overly )?(?:expensive|pricey|costly)"
        r"|cheap|cheaper|affordable|inexpensive|budget[- ]friendly|budget(?=[- ](?:pets?|options?|picks?))"
        r"|on a budget"
        r"|bargains?|low[- ]cost|economical|reasonably priced",
        SortBy.PRICE_ASC,
    ),
    (
        r"expensive|pricey|pricier|premium|luxury|high[- ]end|top[- ]of[- ]the[- ]line|fancy",
        SortBy.PRICE_DESC,
    ),
)
SORT_WORDS = words(
    "cheapest, expensive, inexpensive, priciest, youngest, oldest, affordable, premium, bargain"
)
