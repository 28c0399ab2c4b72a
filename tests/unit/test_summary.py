from decimal import Decimal

import pytest

from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.summary import money, summarize


@pytest.mark.parametrize(
    ("filters", "count", "more", "expected"),
    [
        (
            PetFilters(type_filter="dog", max_price=Decimal(500), sort_by=SortBy.AGE_ASC),
            3,
            False,
            "3 dogs up to $500, youngest first.",
        ),
        (PetFilters(type_filter="dog"), 1, False, "1 dog."),
        (PetFilters(), 20, True, "20 pets; there are more."),
        (PetFilters(type_filter="guinea pig", min_price=Decimal(10)), 2, False, "2 guinea pigs from $10 up."),
        (
            PetFilters(type_filter="fish", sort_by=SortBy.PRICE_DESC),
            4,
            False,
            "4 fish, most expensive first.",
        ),
        (
            PetFilters(type_filter="cat", breed="Siamese", min_age=Decimal(1), max_age=Decimal(3)),
            0,
            False,
            "No Siamese cats aged 1 to 3 years right now.",
        ),
        (PetFilters(name="Buddy"), 1, False, "1 pet named Buddy."),
        (PetFilters(min_age=Decimal(2), max_age=Decimal(2)), 2, False, "2 pets aged 2 years."),
        (PetFilters(max_age=Decimal(1)), 2, False, "2 pets up to 1 year old."),
        (PetFilters(type_filter="Dog"), 2, False, "2 dogs."),
    ],
)
def test_summaries_read_as_sentences(filters: PetFilters, count: int, more: bool, expected: str) -> None:
    assert summarize(filters, count, more) == expected


def test_later_pages_say_more() -> None:
    assert summarize(PetFilters(type_filter="cat"), 5, False, first_page=False) == "5 more cats."


@pytest.mark.parametrize(
    ("amount", "text"), [(Decimal(500), "$500"), (Decimal(1200), "$1,200"), (Decimal("99.5"), "$99.50")]
)
def test_money(amount: Decimal, text: str) -> None:
    assert money(amount) == text


def test_an_empty_page_with_more_to_read_does_not_say_none() -> None:
    text = summarize(PetFilters(type_filter="fish", breed="Oranda"), 0, True)
    assert text == "No Oranda fish found yet; show more to keep looking."
