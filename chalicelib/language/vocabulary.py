"""The words a shopper uses for pets, breeds, numbers and sort orders, and how to normalise them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from chalicelib.domain.filters import SortBy


def words(text: str) -> tuple[str, ...]:
    """The comma separated entries of ``text``: word tables stay readable as one string per row."""
    return tuple(entry.strip() for entry in text.split(",") if entry.strip())


# Canonical type -> the words that mean it (English, Spanish, French), comma separated. Plurals ending
# in "s" are added automatically, so only irregular plurals are listed.
_TYPE_FORMS: dict[str, str] = {
    "dog": "dog, doggy, doggies, doggie, doggo, puppy, puppies, pup, canine, hound, perro, perrito, cachorro,"
    " chien, chienne, chiot",
    "cat": "cat, kitty, kitties, kitten, kitteh, feline, gato, gata, gatito, chaton, minou",
    "bird": "bird, birdie, parrot, pajaro, pajarito, oiseau, oiseaux, perroquet, loro, finch, canary,"
    " canaries",
    "rabbit": "rabbit, bunny, bunnies, conejo, conejito, lapin, lapereau, lapereaux",
    "fish": "fish, fishes, fishie, pez, peces, poisson",
    "hamster": "hamster",
    "guinea pig": "guinea pig, cavy, cavies, cobaya, cobayo, cochon d'inde, cochons d'inde,"
    " conejillo de indias",
    "turtle": "turtle, tortoise, tortuga, tortue, terrapin",
    "lizard": "lizard, lagarto, lezard, iguana, gecko",
    "snake": "snake, serpiente, serpent, culebra",
    "ferret": "ferret, huron, furet",
    "chinchilla": "chinchilla",
    "gerbil": "gerbil, gerbille, jerbo",
    "hedgehog": "hedgehog, erizo, herisson",
    "mouse": "mouse, mice, raton, souris",
    "rat": "rat",
    "frog": "frog, rana, grenouille",
}

# Words that only mean a pet in a clear French context: a bare "chat" in a chat app is not a cat.
_FRENCH_ONLY: dict[str, str] = {"chat": "cat", "chats": "cat"}
FRENCH_PHRASES: dict[str, str] = {
    f"{article} {noun}": "cat"
    for article in ("un", "le", "mon", "ton", "des", "les", "mes", "deux", "trois")
    for noun in ("chat", "chats")
}

EMOJI_TYPES: dict[str, str] = {
    **dict.fromkeys("\U0001f436\U0001f415\U0001f429", "dog"),
    **dict.fromkeys("\U0001f431\U0001f408", "cat"),
    **dict.fromkeys("\U0001f430\U0001f407", "rabbit"),
    **dict.fromkeys("\U0001f426\U0001f99c", "bird"),
    **dict.fromkeys("\U0001f41f\U0001f420", "fish"),
    "\U0001f422": "turtle",
    "\U0001f40d": "snake",
    "\U0001f98e": "lizard",
    "\U0001f439": "hamster",
}

# Canonical breed -> (type, the ways people write it). Canonical spellings match the seed data.
BREEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Golden Retriever": ("dog", ("golden retriever", "goldens", "golden retriever puppy")),
    "Labrador Retriever": ("dog", ("labrador retriever", "labrador", "lab", "labs", "labrador puppy")),
    "German Shepherd": ("dog", ("german shepherd", "gsd", "alsatian", "german shepard")),
    "Beagle": ("dog", ("beagle",)),
    "Poodle": ("dog", ("poodle", "toy poodle", "standard poodle", "miniature poodle")),
    "French Bulldog": ("dog", ("french bulldog", "frenchie", "frenchies")),
    "Bulldog": ("dog", ("bulldog", "english bulldog")),
    "Dachshund": ("dog", ("dachshund", "doxie", "wiener dog", "sausage dog")),
    "Siberian Husky": ("dog", ("siberian husky", "husky", "huskies")),
    "Boxer": ("dog", ("boxer",)),
    "Corgi": ("dog", ("corgi", "pembroke welsh corgi")),
    "Chihuahua": ("dog", ("chihuahua",)),
    "Pug": ("dog", ("pug",)),
    "Shih Tzu": ("dog", ("shih tzu", "shih-tzu")),
    "Yorkshire Terrier": ("dog", ("yorkshire terrier", "yorkie")),
    "Border Collie": ("dog", ("border collie",)),
    "Rottweiler": ("dog", ("rottweiler", "rottie")),
    "Cavapoo": ("dog", ("cavapoo",)),
    "Goldendoodle": ("dog", ("goldendoodle",)),
    "Labradoodle": ("dog", ("labradoodle",)),
    "Siamese": ("cat", ("siamese", "siamois")),
    "Maine Coon": ("cat", ("maine coon",)),
    "Persian": ("cat", ("persian",)),
    "Ragdoll": ("cat", ("ragdoll",)),
    "Bengal": ("cat", ("bengal",)),
    "Sphynx": ("cat", ("sphynx", "sphinx cat")),
    "British Shorthair": ("cat", ("british shorthair",)),
    "Scottish Fold": ("cat", ("scottish fold",)),
    "Abyssinian": ("cat", ("abyssinian",)),
    "Cockatiel": ("bird", ("cockatiel",)),
    "Budgie": ("bird", ("budgie", "budgerigar", "parakeet", "perruche", "periquito")),
    "African Grey": ("bird", ("african grey", "african gray")),
    "Cockatoo": ("bird", ("cockatoo",)),
    "Macaw": ("bird", ("macaw", "guacamayo")),
    "Lovebird": ("bird", ("lovebird",)),
    "Holland Lop": ("rabbit", ("holland lop",)),
    "Netherland Dwarf": ("rabbit", ("netherland dwarf",)),
    "Mini Rex": ("rabbit", ("mini rex",)),
    "Lionhead": ("rabbit", ("lionhead",)),
    "Goldfish": ("fish", ("goldfish", "poisson rouge", "poissons rouges", "pez dorado", "peces dorados")),
    "Betta": ("fish", ("betta", "betta fish", "siamese fighting fish")),
    "Guppy": ("fish", ("guppy", "guppies")),
    "Koi": ("fish", ("koi",)),
    "Syrian": ("hamster", ("syrian", "syrian hamster", "golden hamster")),
    "Dwarf Hamster": ("hamster", ("dwarf hamster", "roborovski")),
    "Red-Eared Slider": ("turtle", ("red-eared slider", "red eared slider")),
    "Leopard Gecko": ("lizard", ("leopard gecko",)),
    "Bearded Dragon": ("lizard", ("bearded dragon", "beardie")),
    "Ball Python": ("snake", ("ball python", "royal python")),
    "Corn Snake": ("snake", ("corn snake",)),
}

_UNITS = words(
    "zero, one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen,"
    " fifteen, sixteen, seventeen, eighteen, nineteen"
)
_TENS = words("twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety")
NUMBER_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_UNITS)},
    **{word: 10 * value for value, word in enumerate(_TENS, start=2)},
    "hundred": 100,
    "thousand": 1000,
}

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
        r"cheap|cheaper|affordable|inexpensive|budget(?=[- ](?:friendly|pets?|options?|picks?))|on a budget"
        r"|bargains?|low[- ]cost|economical|reasonably priced",
        SortBy.PRICE_ASC,
    ),
    (
        r"expensive|pricey|pricier|premium|luxury|high[- ]end|top[- ]of[- ]the[- ]line|fancy",
        SortBy.PRICE_DESC,
    ),
)

# Spanish and French phrases rewritten to the English the parser reads (accents already stripped).
# Longer phrases first so "le moins cher" is not read as "moins" + "cher".
TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"\b(?:le|la|les) moins chers?\b|\b(?:el|la|los|las) mas barat[oa]s?\b", "cheapest"),
    (
        r"\b(?:le|la|les) plus chers?\b|\b(?:el|la|los|las) mas car[oa]s?\b|\bmas car[oa]s?\b",
        "most expensive",
    ),
    (r"\b(?:le|la|les) plus jeunes?\b|\b(?:el|la|los|las) mas joven(?:es)?\b", "youngest"),
    (r"\b(?:le|la|les) plus vieux\b|\b(?:el|la|los|las) mas viej[oa]s?\b", "oldest"),
    (r"\bpas chers?\b|\bbon marche\b|\bbarat[oa]s?\b|\beconomic[oa]s?\b", "cheap"),
    (r"\bmenos de\b|\bmoins de\b|\bhasta\b|\bjusqu'a\b", "under"),
    (r"\bmas de\b|\bplus de\b|\bal menos\b|\bau moins\b", "over"),
    (r"\bentre\b", "between"),
    (r"\bmil\b|\bmille\b", "thousand"),
    (r"\bcien(?:to)?s?\b", "hundred"),
    (r"(?<=\d) (?:y|et) (?=\$?\d)", " and "),
    (r"(?<=\d) ?(?:anos?|ans?)\b", " years"),
    (r"(?<=\d) ?(?:meses|mes|mois)\b", " months"),
    (r"(?<=\d) ?(?:semanas?|semaines?)\b", " weeks"),
    (r"\bdolares\b|\beuros?\b", "dollars"),
    (r"\bjoven(?:es)?\b|\bjeunes?\b", "young"),
    (r"\bbebes?\b", "baby"),
)

# Common English words one letter away from a pet word; never "corrected" into one.
TYPO_DENYLIST: frozenset[str] = frozenset(
    words(
        "funny, sunny, runny, happy, poppy, soggy, foggy, witty, shake, shakes, mitten, mittens, bitten,"
        " wizard, wizards, carrot, carrots, hurtle, hurtles, rabbi, gates, chief, puppet, puppets, coldest,"
        " boldest, eldest, noodle, noodles, spider, spiders, trench, house, houses, germane, bengali, boldly,"
        " olden, order, orders, boarder"
    )
)
SORT_WORDS = words(
    "cheapest, expensive, inexpensive, priciest, youngest, oldest, affordable, premium, bargain"
)
MIN_TYPO_WORD = 5
MIN_TYPO_KEY = 6


def strip_accents(text: str) -> str:
    """``text`` without accents (and with compatibility forms unified), so "Pájaros" reads "Pajaros"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lowercase ``text`` and strip accents so "Pájaros" and "pajaros" read the same."""
    return strip_accents(text).lower()


def _with_plurals(forms: str) -> Iterator[str]:
    for form in words(forms):
        yield form
        if not form.endswith(("s", "x")):
            yield form + "s"


TYPE_WORDS: dict[str, str] = {
    form: kind for kind, forms in _TYPE_FORMS.items() for form in _with_plurals(forms)
}
BREED_TYPES: dict[str, str] = {name.lower(): kind for name, (kind, _) in BREEDS.items()}
BREED_ALIASES: dict[str, str] = {
    alias: name for name, (_, aliases) in BREEDS.items() for alias in (name.lower(), *aliases)
}


def _typo_keys() -> frozenset[str]:
    keys = {w for w in TYPE_WORDS if " " not in w}
    keys.update(part for alias in BREED_ALIASES for part in re.split(r"[\s-]+", alias))
    keys.update(SORT_WORDS)
    return frozenset(w for w in keys if len(w) >= MIN_TYPO_KEY and w.isalpha())


TYPO_KEYS = _typo_keys()


def _deletions(word: str) -> Iterator[tuple[int, str]]:
    for i in range(len(word)):
        yield i, word[:i] + word[i + 1 :]


# Indexes for edit distance 1 without trying every letter: a word missing a letter is a deletion of
# a key; a word with one wrong letter shares a deletion at the same position.
_MISSING_LETTER: dict[str, str] = {gap: key for key in TYPO_KEYS for _, gap in _deletions(key)}
_WRONG_LETTER: dict[tuple[int, str], str] = {(i, gap): key for key in TYPO_KEYS for i, gap in _deletions(key)}


def correct_typo(word: str) -> str | None:
    """The pet, breed or sort word ``word`` is one edit (or one swap) away from, if any."""
    known = word in TYPO_KEYS or word in TYPE_WORDS or word in TYPO_DENYLIST
    if known or len(word) < MIN_TYPO_WORD or not word.isalpha():
        return None
    if word in _MISSING_LETTER:
        return _MISSING_LETTER[word]
    for i, gap in _deletions(word):
        if gap in TYPO_KEYS:
            return gap
        if (i, gap) in _WRONG_LETTER:
            return _WRONG_LETTER[(i, gap)]
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if swapped in TYPO_KEYS:
            return swapped
    return None


def breed_type(breed: str) -> str | None:
    """The type a breed belongs to, when the vocabulary knows the breed."""
    folded = " ".join(fold(breed).split())
    canonical = BREED_ALIASES.get(folded)
    return BREED_TYPES.get(canonical.lower()) if canonical else None


def canonical_type(word: str) -> str | None:
    """The lowercase singular type ``word`` names ("Puppies" -> "dog"), or None when it is not a pet."""
    folded = " ".join(fold(word).replace("_", " ").split())
    for candidate in (folded, folded.removesuffix("s"), folded.removesuffix("es")):
        kind = TYPE_WORDS.get(candidate) or _FRENCH_ONLY.get(candidate) or FRENCH_PHRASES.get(candidate)
        if kind:
            return kind
        if candidate in EMOJI_TYPES:
            return EMOJI_TYPES[candidate]
    corrected = correct_typo(folded)
    if corrected in TYPE_WORDS:
        return TYPE_WORDS[corrected]
    return breed_type(folded)
