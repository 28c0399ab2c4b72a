// Recognizes "add a dog named Max, a 3 year old Labrador, $600" and pulls out the pet's fields.
// Only fills the add form: nothing is written until staff press its confirm button.

// "add"/"create" always mean a new pet; "list cats" or "new puppies?" are questions unless the
// sentence names one pet ("list a dog named Rex", "new cat called Tom").
const STRONG_START = /^\s*(?:please\s+)?(?:add|create|put\s+up|register|insert|stock)\b/i;
const WEAK_START = /^\s*(?:please\s+)?(?:list|new|post|enter)\b/i;
const ONE_PET = /^\s*(?:please\s+)?\w+(?:\s+up)?\s+(?:an?|one)\b|\b(?:named|called)\b/i;

// Spoken pet words -> the store's lowercase singular type. Every word reads as the server's vocabulary
// reads it, and every type the server knows is here (tests/browser/test_page_source.py checks both).
const TYPE_WORDS = {
  dog: "dog", dogs: "dog", puppy: "dog", puppies: "dog", pup: "dog",
  cat: "cat", cats: "cat", kitten: "cat", kittens: "cat", kitty: "cat",
  bird: "bird", birds: "bird", parrot: "bird", parrots: "bird",
  rabbit: "rabbit", rabbits: "rabbit", bunny: "rabbit", bunnies: "rabbit",
  fish: "fish", fishes: "fish",
  hamster: "hamster", hamsters: "hamster",
  "guinea pig": "guinea pig", "guinea pigs": "guinea pig",
  turtle: "turtle", turtles: "turtle", tortoise: "turtle", tortoises: "turtle",
  lizard: "lizard", lizards: "lizard", gecko: "lizard", geckos: "lizard",
  snake: "snake", snakes: "snake",
  ferret: "ferret", ferrets: "ferret",
  chinchilla: "chinchilla", chinchillas: "chinchilla",
  gerbil: "gerbil", gerbils: "gerbil",
  hedgehog: "hedgehog", hedgehogs: "hedgehog",
  mouse: "mouse", mice: "mouse",
  rat: "rat", rats: "rat",
  frog: "frog", frogs: "frog",
};
const TYPE_PATTERN = new RegExp(
  `\\b(${Object.keys(TYPE_WORDS).sort((a, b) => b.length - a.length).join("|")})\\b`,
  "i",
);

// Words that end a name or breed phrase.
const STOP = "(?:a|an|the|who|that|which|is|it|aged?|for|at|priced|costing|costs?|with|and|named|called|breed)";

function clean(text) {
  return (text || "").replace(/^[\s,;:-]+|[\s,;:.!-]+$/g, "").replace(/\s+/g, " ");
}

function numberFrom(text) {
  const n = Number(String(text).replace(/,/g, ""));
  return Number.isFinite(n) ? n : null;
}

/** True when the sentence asks to add a pet rather than to find one. */
export function isAddIntent(text) {
  const sentence = text || "";
  return STRONG_START.test(sentence) || (WEAK_START.test(sentence) && ONE_PET.test(sentence));
}

function findName(text) {
  const named = new RegExp(`\\b(?:named|called|name(?:\\s+is)?\\s*:?)\\s+(.+?)(?=\\s*(?:[,;.!]|$|\\s+${STOP}\\b|\\s+\\d|\\s+\\$))`, "i");
  const match = text.match(named);
  return match ? clean(match[1].replace(/^["'“]|["'”]$/g, "")) : "";
}

function findType(text) {
  const explicit = text.match(/\btype\s*:?\s+([a-z][a-z ]*?)(?=\s*(?:[,;.!]|$))/i);
  if (explicit) return TYPE_WORDS[explicit[1].toLowerCase()] || clean(explicit[1]).toLowerCase();
  const match = text.match(TYPE_PATTERN);
  return match ? TYPE_WORDS[match[1].toLowerCase()] : "";
}

function findAge(text) {
  const unit = text.match(/(\d+(?:\.\d+)?)\s*[- ]?\s*(years?|yrs?|months?|mos?|weeks?|wks?)\b/i);
  if (unit) {
    const n = numberFrom(unit[1]);
    const word = unit[2].toLowerCase();
    if (n === null) return "";
    if (word.startsWith("m")) return String(Math.round((n / 12) * 100) / 100);
    if (word.startsWith("w")) return String(Math.round((n / 52) * 100) / 100);
    return String(n);
  }
  const aged = text.match(/\bage[d:]?\s*(\d+(?:\.\d+)?)/i);
  return aged ? String(numberFrom(aged[1])) : "";
}

function findPrice(text) {
  const patterns = [
    /\$\s*(\d[\d,]*(?:\.\d+)?)/,
    /(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|usd|bucks)\b/i,
    /\b(?:price[d]?|costs?|costing|for)\s*(?:at|of|is|:)?\s*(\d[\d,]*(?:\.\d+)?)\b(?!\s*(?:years?|yrs?|months?|mos?|weeks?))/i,
  ];
  for (const pattern of patterns) {
    const match = text.match(pattern);
    if (match) {
      const n = numberFrom(match[1]);
      if (n !== null) return String(n);
    }
  }
  return "";
}

function stripTypeWords(phrase) {
  return clean(phrase.replace(new RegExp(TYPE_PATTERN.source, "gi"), " "));
}

function findBreed(text) {
  const explicit = text.match(/\bbreed\s*(?:is|:)?\s+(.+?)(?=\s*(?:[,;.!]|$))/i);
  if (explicit) return clean(explicit[1]);
  // "a 3 year old Labrador", "2-year-old Siamese cat"
  const afterAge = text.match(
    new RegExp(`\\b(?:years?|yrs?|months?|mos?|weeks?|wks?)[- ]old\\s+(.+?)(?=\\s*(?:[,;.!]|$|\\$|\\s+${STOP}\\b))`, "i"),
  );
  if (afterAge) {
    const breed = stripTypeWords(afterAge[1]);
    if (breed) return breed;
  }
  // "a Siamese cat", "a Golden Retriever puppy": capitalized words right before the type word
  const beforeType = text.match(
    new RegExp(`((?:\\b[A-Z][\\w'-]*\\s+){1,3})${TYPE_PATTERN.source}`),
  );
  if (beforeType) {
    const words = clean(beforeType[1]).split(" ").filter((w) => !/^(Add|List|Create|New|Put|Up|Post|Register|A|An|The|Please)$/i.test(w));
    if (words.length) return words.join(" ");
  }
  // "a Labrador" after the name: "named Max, a Labrador, $600"
  const appositive = text.match(/,\s*(?:an?|the)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})(?=\s*(?:[,;.!]|$|\s+for\b|\s+at\b))/);
  return appositive ? clean(appositive[1]) : "";
}

/** The pet fields a sentence names; fields it does not name are empty strings. */
export function parseAddPet(text) {
  const sentence = String(text || "");
  return {
    name: findName(sentence),
    type: findType(sentence),
    breed: findBreed(sentence),
    age: findAge(sentence),
    price: findPrice(sentence),
  };
}
