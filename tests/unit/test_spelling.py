"""Misspellings read as what they meant, and real words left as they are: labelled lists of both."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from chalicelib.domain.stock import Stock
from chalicelib.language.parser import read
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import vocabulary_speller
from chalicelib.language.vocabulary.spelling import collapsed
from localdev.corpus_score import SEED, STORE

NO_STORE = StoreWords()


def reads(question: str, store: StoreWords = NO_STORE) -> tuple[dict[str, Any], dict[str, str]]:
    reading = read(question, store)
    return reading.filters.applied(), dict(reading.corrected)


@pytest.mark.parametrize(
    ("question", "expected", "corrected"),
    [
        ("chiwawa", {"type_filter": "dog", "breed": "Chihuahua"}, {"chiwawa": "Chihuahua"}),
        ("dgos under 300", {"type_filter": "dog", "max_price": 300}, {"dgos": "dogs"}),
        ("rotwiler", {"type_filter": "dog", "breed": "Rottweiler"}, {"rotwiler": "Rottweiler"}),
        ("german shepard", {"type_filter": "dog", "breed": "German Shepherd"}, {"shepard": "Shepherd"}),
        ("a Dachsund", {"type_filter": "dog", "breed": "Dachshund"}, {"Dachsund": "Dachshund"}),
    ],
)
def test_the_misspellings_shoppers_make_most(
    question: str, expected: dict[str, Any], corrected: dict[str, str]
) -> None:
    assert reads(question) == (expected, corrected)


def test_a_misspelled_kind_in_a_follow_up() -> None:
    reading = read("and ctas", STORE, (), read("dogs", STORE).filters)
    assert reading.filters.applied() == {"type_filter": "cat"}
    assert reading.corrected == {"ctas": "cats"}


# (a question, the word as written, what it is read as, the kind or breed it finds)
TYPOS = [
    ("hampster", "hampster", "hamster", "hamster"),
    ("a hamstar", "hamstar", "hamster", "hamster"),
    ("hamstr please", "hamstr", "hamster", "hamster"),
    ("gekko", "gekko", "gecko", "lizard"),
    ("kitens", "kitens", "kittens", "cat"),
    ("any kittns?", "kittns", "kittens", "cat"),
    ("pupies", "pupies", "puppies", "dog"),
    ("catts", "catts", "cats", "cat"),
    ("doggs under $500", "doggs", "dogs", "dog"),
    ("brids", "brids", "birds", "bird"),
    ("a rabit", "rabit", "rabbit", "rabbit"),
    ("rabbbits", "rabbbits", "rabbits", "rabbit"),
    ("guinnea pigs", "guinnea", "guinea", "guinea pig"),
    ("a tortise", "tortise", "tortoise", "turtle"),
    ("turtels", "turtels", "turtles", "turtle"),
    ("lizzard", "lizzard", "lizard", "lizard"),
    ("snaek", "snaek", "snake", "snake"),
    ("chinchila", "chinchila", "chinchilla", "chinchilla"),
    ("ferrit", "ferrit", "ferret", "ferret"),
    ("gerbel", "gerbel", "gerbil", "gerbil"),
    ("hedghog", "hedghog", "hedgehog", "hedgehog"),
    ("parots", "parots", "parrots", "bird"),
    ("a canery", "canery", "canary", "bird"),
    ("shitzu", "shitzu", "Shih Tzu", "Shih Tzu"),
    ("pomeranion", "pomeranion", "Pomeranian", "Pomeranian"),
    ("siamees", "siamees", "Siamese", "Siamese"),
    ("budgy", "budgy", "Budgie", "Budgie"),
    ("labradore", "labradore", "Labrador Retriever", "Labrador Retriever"),
    ("beegle", "beegle", "Beagle", "Beagle"),
    ("beagel", "beagel", "Beagle", "Beagle"),
    ("chihuahau", "chihuahau", "Chihuahua", "Chihuahua"),
    ("rottweiller", "rottweiller", "Rottweiler", "Rottweiler"),
    ("daschund", "daschund", "Dachshund", "Dachshund"),
    ("german sheperd", "sheperd", "Shepherd", "German Shepherd"),
    ("golden retreiver", "retreiver", "Retriever", "Golden Retriever"),
    ("huskey", "huskey", "Siberian Husky", "Siberian Husky"),
    ("poodel", "poodel", "Poodle", "Poodle"),
    ("yorkshire terrior", "terrior", "Terrier", "Yorkshire Terrier"),
    ("bulldogg", "bulldogg", "Bulldog", "Bulldog"),
    ("corgie", "corgie", "Corgi", "Corgi"),
    ("persain", "persain", "Persian", "Persian"),
    ("ragdol", "ragdol", "Ragdoll", "Ragdoll"),
    ("bengel", "bengel", "Bengal", "Bengal"),
    ("abysinian", "abysinian", "Abyssinian", "Abyssinian"),
    ("ball pyhton", "pyhton", "Python", "Ball Python"),
    ("leopord gecko", "leopord", "leopard", "Leopard Gecko"),
    ("dalmation", "dalmation", "Dalmatian", "Dalmatian"),
    ("schnauser", "schnauser", "Schnauzer", "Schnauzer"),
    ("maltease", "maltease", "Maltese", "Maltese"),
    ("pitbul", "pitbul", "Pit Bull", "Pit Bull"),
    ("labradoodel", "labradoodel", "Labradoodle", "Labradoodle"),
    ("parakeat", "parakeat", "Budgie", "Budgie"),
    ("cockateil", "cockateil", "Cockatiel", "Cockatiel"),
    ("goldfsh", "goldfsh", "Goldfish", "Goldfish"),
]


@pytest.mark.parametrize(("question", "written", "read_as", "finds"), TYPOS)
def test_a_labelled_typo_reads_as_what_it_meant(
    question: str, written: str, read_as: str, finds: str
) -> None:
    reading = read(question, NO_STORE)
    assert reading.corrected == {written: read_as}
    assert finds in (*reading.filters.any_types, *reading.filters.any_breeds)
    assert reading.unmatched == ()


def test_the_labelled_typos_are_many_and_of_every_kind_of_mistake() -> None:
    assert len(TYPOS) >= 40
    pairs = [(written, read_as.lower().replace(" ", "")) for _, written, read_as, _ in TYPOS]
    doubled = [written for written, meant in pairs if collapsed(written) == collapsed(meant)]
    swapped = [written for written, meant in pairs if sorted(written) == sorted(meant)]
    assert len(doubled) >= 5 and len(swapped) >= 5


# Real words near a pet word: each stays as it is (and unmatched where no reader uses it).
NEAR_MISSES = (
    "car, cart, carts, cast, acts, coats, dots, does, gods, digs, dish, fist, wish, fishy, word,"
    " words, beard, bride, birch, funny, sunny, happy, poppy, kitchen, mitten, bitten, puppet, carrot,"
    " noodle, bagel, snack, shake, snare, house, hurtle, wizard, parent, parents, version, pension,"
    " person, badge, budge, budget, battle, bottle, label, labor, rabbi, rabid, robot, ferry, terror,"
    " pounds, sound, round, canon, cannon, caning, chase, chain, china, champ, order, elder, folder,"
    " holder, chipper, chopper, nature, manure, motor, meter, sensor, sinner, sneer, snore, sonar,"
    " joiner, cocktail, cockade, retrieve, retrieval, laboratory, party, parade, parody, period,"
    " sleep, sheet, steep, sweep, sheer, hat, toads, market, doodle, paddle, puddle, catty, dodgy,"
    " foggy, soggy, kidney, sneaky, witty"
).split(", ")


@pytest.mark.parametrize("word", NEAR_MISSES)
@pytest.mark.parametrize("store", [NO_STORE, SEED, STORE], ids=["no store", "sample store", "corpus store"])
def test_a_real_word_is_never_corrected_into_a_pet(word: str, store: StoreWords) -> None:
    assert read(f"do you have a {word}", store).corrected == {}


@pytest.mark.parametrize(("word", "near"), [("cat", "car"), ("rat", "bat"), ("dog", "dig"), ("cta", "cat")])
def test_words_under_four_letters_never_collide(word: str, near: str) -> None:
    speller = vocabulary_speller()
    assert speller.correct(near) is None or speller.correct(near) == speller.correct(word)
    assert read(near, NO_STORE).corrected == {}


@pytest.mark.parametrize("question", ["xylophone", "quiet fluffy ones", "very zqxjv ones", "blorpington"])
def test_a_word_close_to_nothing_stays_unmatched(question: str) -> None:
    reading = read(question, NO_STORE)
    assert reading.corrected == {}
    assert reading.unmatched


def test_plurals_case_and_accents_are_no_corrections() -> None:
    assert read("Dogs and PUPPIES and Pájaros", NO_STORE).corrected == {}


def test_a_correction_is_reported_as_written() -> None:
    assert read("Chiwawa puppies?", NO_STORE).corrected == {"Chiwawa": "Chihuahua"}


def test_a_correction_names_the_breed_as_the_store_spells_it() -> None:
    reading = read("a budgy", SEED)
    assert reading.filters.applied() == {"type_filter": "bird", "breed": "Budgerigar"}
    assert reading.corrected == {"budgy": "Budgerigar"}


def test_the_stores_words_win_over_the_vocabularys() -> None:
    store = StoreWords.of(
        Stock.of([{"type": "dog", "breed": "Cockapoo"}, {"type": "degu", "breed": "Common"}])
    )
    assert reads("cockapoos or degus", store) == ({"types": ["degu", "dog"], "breed": "Cockapoo"}, {})
    assert reads("cockapo", store) == ({"type_filter": "dog", "breed": "Cockapoo"}, {"cockapo": "Cockapoo"})


def test_the_spelling_libraries_load_only_for_a_word_not_already_known() -> None:
    code = (
        "import sys\n"
        "from chalicelib.language.parser import read\n"
        "read('cheap dogs under $300, youngest first')\n"
        "print('rapidfuzz' in sys.modules, 'jellyfish' in sys.modules)\n"
        "read('chiwawa')\n"
        "print('rapidfuzz' in sys.modules, 'jellyfish' in sys.modules)\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False", "True", "True"]


def test_a_long_question_of_nonsense_is_read_as_written_past_a_few_lookups() -> None:
    nonsense = " ".join(f"zq{letter}xv{other}" for letter in "bcdfghjklm" for other in "prstw")
    reading = read(f"{nonsense} chiwawa", NO_STORE)
    assert reading.corrected == {}
    assert reading.unmatched[0].endswith(" chiwawa")
    assert read("zqbxvp zqcxvr chiwawa", NO_STORE).corrected == {"chiwawa": "Chihuahua"}
