from decimal import Decimal

import pytest

from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.summary import Nearest, money, summarize


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
        (PetFilters(max_age=Decimal(1)), 2, False, "2 pets aged 1 year or younger."),
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


BREED_TYPES = {"beagle": "dog", "siamese": "cat", "persian": "cat"}


@pytest.mark.parametrize(
    ("filters", "count", "expected"),
    [
        (
            PetFilters(types=("rabbit", "guinea pig"), max_price=Decimal(100)),
            3,
            "3 guinea pigs or rabbits up to $100.",
        ),
        (PetFilters(type_filter="cat", exclude_breeds=("Siamese",)), 5, "5 cats other than Siamese."),
        (PetFilters(exclude_types=("bird", "fish")), 2, "2 pets other than birds and fish."),
        (PetFilters(types=("cat", "dog"), breed="Beagle"), 4, "4 cats or Beagle dogs."),
        (PetFilters(type_filter="cat", breeds=("Siamese", "Persian")), 2, "2 Persian or Siamese cats."),
        (
            PetFilters(type_filter="dog", min_age=Decimal(7), sort_by=SortBy.PRICE_ASC),
            0,
            "No dogs aged 7 years or older right now.",
        ),
    ],
)
def test_any_of_and_none_of_read_as_sentences(filters: PetFilters, count: int, expected: str) -> None:
    assert summarize(filters, count, False, breed_types=BREED_TYPES) == expected


def test_an_empty_answer_names_what_came_closest() -> None:
    poodles = PetFilters(type_filter="dog", breed="Poodle", max_price=Decimal(50))
    assert (
        summarize(poodles, 0, False, nearest=Nearest("price", True, Decimal(400)))
        == "No Poodle dogs up to $50 right now; the cheapest Poodle dog is $400."
    )
    young = PetFilters(type_filter="dog", max_price=Decimal(500), max_age=Decimal(2))
    assert summarize(young, 0, False, nearest=Nearest("price", True, Decimal(900))) == (
        "No dogs up to $500 aged 2 years or younger right now; "
        "the cheapest dog aged 2 years or younger is $900."
    )
    birds = PetFilters(type_filter="bird", min_price=Decimal(5000))
    assert summarize(birds, 0, False, nearest=Nearest("price", False, Decimal(1800))).endswith(
        "the most expensive bird is $1,800."
    )


def test_kinds_the_store_lacks_are_named_with_what_it_has() -> None:
    stocked = ["dog", "cat", "bird", "fish", "rabbit", "ferret", "snake"]
    unicorns = PetFilters(type_filter="unicorn")
    assert summarize(unicorns, 0, False, unknown=["unicorn"], stocked=stocked) == (
        "We have no unicorns. We have dogs, cats, birds, fish, rabbits, ferrets and more."
    )
    assert summarize(unicorns, 0, False, unknown=["unicorn"], stocked=["dog", "cat"]) == (
        "We have no unicorns. We have dogs and cats."
    )
