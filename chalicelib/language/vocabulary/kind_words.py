"""The words for kinds of pet and for breeds: English, Spanish, French, emoji; and animals not sold here."""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.domain.english import IRREGULAR_PLURALS
from chalicelib.language.vocabulary.word_tables import folded, words

# Canonical type -> the words that mean it (English, Spanish, French), comma separated. Plurals ending
# in "s" are added automatically, so only irregular plurals are listed.
_TYPE_FORMS: dict[str, str] = {
    "dog": "dog, doggy, doggies, doggie, doggo, puppy, puppies, pup, canine, hound, perro, perrito, cachorro,"
    " chien, chienne, chiot",
    "cat": "cat, kitty, kitties, kitten, kitteh, feline, gato, gata, gatito, gatita, chaton, minou",
    "bird": "bird, birdie, parrot, pajaro, pajarito, oiseau, oiseaux, perroquet, loro, finch, canary,"
    " canaries",
    "rabbit": "rabbit, bunny, bunnies, kit, conejo, conejito, lapin, lapereau, lapereaux",
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
FRENCH_ONLY: dict[str, str] = {"chat": "cat", "chats": "cat"}
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
    "Golden Retriever": ("dog", ("golden retriever", "goldens")),
    "Labrador Retriever": ("dog", ("labrador retriever", "labrador", "lab", "labs")),
    "German Shepherd": ("dog", ("german shepherd", "gsd", "alsatian")),
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
    "Pomeranian": ("dog", ("pomeranian", "pom")),
    "Dalmatian": ("dog", ("dalmatian",)),
    "Doberman Pinscher": ("dog", ("doberman pinscher", "doberman", "dobermann")),
    "Schnauzer": ("dog", ("schnauzer", "miniature schnauzer")),
    "Maltese": ("dog", ("maltese",)),
    "Great Dane": ("dog", ("great dane",)),
    "Boston Terrier": ("dog", ("boston terrier",)),
    "Cocker Spaniel": ("dog", ("cocker spaniel", "cocker")),
    "Cavalier King Charles Spaniel": (
        "dog",
        ("cavalier king charles spaniel", "cavalier", "cavalier king charles"),
    ),
    "Shiba Inu": ("dog", ("shiba inu", "shiba")),
    "Pit Bull": ("dog", ("pit bull", "pitbull", "pit bull terrier")),
    "Siamese": ("cat", ("siamese", "siamois")),
    "Maine Coon": ("cat", ("maine coon",)),
    "Persian": ("cat", ("persian",)),
    "Ragdoll": ("cat", ("ragdoll",)),
    "Bengal": ("cat", ("bengal",)),
    "Sphynx": ("cat", ("sphynx", "sphinx cat")),
    "British Shorthair": ("cat", ("british shorthair",)),
    "Scottish Fold": ("cat", ("scottish fold",)),
    "Abyssinian": ("cat", ("abyssinian",)),
    "Russian Blue": ("cat", ("russian blue",)),
    "Himalayan": ("cat", ("himalayan",)),
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
    "Clownfish": ("fish", ("clownfish", "clown fish")),
    "Syrian": ("hamster", ("syrian", "syrian hamster", "golden hamster")),
    "Dwarf Hamster": ("hamster", ("dwarf hamster", "roborovski")),
    "Red-Eared Slider": ("turtle", ("red-eared slider", "red eared slider")),
    "Leopard Gecko": ("lizard", ("leopard gecko",)),
    "Bearded Dragon": ("lizard", ("bearded dragon", "beardie")),
    "Ball Python": ("snake", ("ball python", "royal python")),
    "Corn Snake": ("snake", ("corn snake",)),
}

_SMALL_PETS = ("chinchilla", "ferret", "gerbil", "guinea pig", "hamster", "mouse", "rabbit", "rat")
# Words for several types at once: "reptiles" are lizards, snakes and turtles. Plurals are added.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "reptile": ("lizard", "snake", "turtle"),
    "rodent": ("chinchilla", "gerbil", "guinea pig", "hamster", "mouse", "rat"),
    "amphibian": ("frog",),
    "small pet": _SMALL_PETS,
    "small animal": _SMALL_PETS,
    "pocket pet": _SMALL_PETS,
}

# Kinds of animal people ask a pet shop for that are not among the types above: a question about
# them is about a kind of pet, so it finds none of the others ("unicorns" never lists the dogs).
OTHER_ANIMALS = frozenset(
    words(
        "alpaca, llama, horse, pony, donkey, goat, sheep, lamb, pig, piglet, cow, calf, chicken, hen,"
        " rooster, duck, duckling, goose, turkey, unicorn, dragon, dinosaur, monkey, ape, chimp, gorilla,"
        " lion, tiger, leopard, cheetah, bear, panda, wolf, fox, elephant, giraffe, zebra, hippo, rhino,"
        " kangaroo, koala, penguin, owl, eagle, hawk, falcon, bat, squirrel, raccoon, skunk, otter, beaver,"
        " deer, moose, camel, sloth, lemur, meerkat, tarantula, spider, scorpion, crab, lobster, shrimp,"
        " snail, octopus, shark, whale, dolphin, seal, axolotl, newt, salamander, toad, chameleon,"
        " iguanodon, crocodile, alligator, bee, ant, butterfly, beetle, worm, sugar glider, capybara"
    )
)


def _with_plurals(forms: str) -> Iterator[str]:
    for form in words(forms):
        yield form
        if not form.endswith(("s", "x")):
            yield form + "s"


TYPE_WORDS: dict[str, str] = {
    form: kind for kind, forms in _TYPE_FORMS.items() for form in _with_plurals(forms)
}
# Each type's own name and its plural: these always mean the type, never a breed or a family.
TYPE_NAMES = frozenset(
    {*_TYPE_FORMS, *(kind + "s" for kind in _TYPE_FORMS), *(kind + "es" for kind in _TYPE_FORMS)}
)
BREED_TYPES: dict[str, str] = {name.lower(): kind for name, (kind, _) in BREEDS.items()}
BREED_ALIASES: dict[str, str] = {
    alias: name for name, (_, aliases) in BREEDS.items() for alias in (name.lower(), *aliases)
}


def breed_type(breed: str) -> str | None:
    """The type a breed belongs to, when the vocabulary knows the breed."""
    canonical = BREED_ALIASES.get(folded(breed))
    return BREED_TYPES.get(canonical.lower()) if canonical else None


_IRREGULAR_SINGULARS = {many: one for one, many in IRREGULAR_PLURALS.items()}


def singular(word: str) -> str:
    """A plural English noun made singular, as well as simple rules can ("ponies" -> "pony"), and
    the irregular plurals answers are written with ("geese" -> "goose")."""
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    for plural, one in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("sses", "ss")):
        if word.endswith(plural) and len(word) > len(plural) + 1:
            return word[: -len(plural)] + one
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
