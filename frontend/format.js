// How pets and filters read on the page: money, ages, the filter chips, the refining line, and
// what an answer says about how it read the question.

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const USD_WHOLE = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});

/** "$500" for whole dollars, "$499.99" otherwise. */
export function formatPrice(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value ?? "");
  return Number.isInteger(n) ? USD_WHOLE.format(n) : USD.format(n);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Ages are years: 3 -> "3 years", 1 -> "1 year", 0.5 -> "6 months", 1.5 -> "1 year, 6 months". */
export function formatAge(value) {
  const years = Number(value);
  if (!Number.isFinite(years) || years < 0) return String(value ?? "");
  let whole = Math.floor(years);
  let months = Math.round((years - whole) * 12);
  if (months === 12) {
    whole += 1;
    months = 0;
  }
  if (whole === 0) return months === 0 ? "under 1 month" : plural(months, "month");
  return months === 0 ? plural(whole, "year") : `${plural(whole, "year")}, ${plural(months, "month")}`;
}

const SORT_LABELS = {
  price_asc: "cheapest first",
  price_desc: "priciest first",
  age_asc: "youngest first",
  age_desc: "oldest first",
};

// The filter fields the page knows by name; others still show as "field: value" chips.
const KNOWN_FIELDS = new Set([
  "type_filter", "types", "exclude_types", "breed", "breeds", "exclude_breeds", "name",
  "min_price", "max_price", "min_age", "max_age", "sort_by",
]);

const PLURAL_TYPES = { fish: "fish", mouse: "mice", "guinea pig": "guinea pigs", puppy: "puppies" };

/** A pet type in the plural: "dog" -> "dogs", "fish" -> "fish", "mouse" -> "mice". */
export function pluralType(type) {
  const word = String(type);
  if (PLURAL_TYPES[word]) return PLURAL_TYPES[word];
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function present(value) {
  return value !== undefined && value !== null && value !== "";
}

/** A list field as a list of non-empty strings; a lone string counts as a list of one. */
function listOf(value) {
  const items = Array.isArray(value) ? value : present(value) ? [value] : [];
  return items.filter((item) => present(item) && typeof item !== "object").map(String);
}

/** The kinds of pet the filters ask for, any of: type_filter, or the list `types`. */
function anyOfTypes(f) {
  return present(f.type_filter) ? [String(f.type_filter)] : listOf(f.types);
}

function anyOfBreeds(f) {
  return present(f.breed) ? [String(f.breed)] : listOf(f.breeds);
}

/** True when the filters object holds at least one filter. */
export function hasFilters(filters) {
  if (!filters || typeof filters !== "object" || Array.isArray(filters)) return false;
  return Object.values(filters).some((value) => (Array.isArray(value) ? value.length > 0 : present(value)));
}

/** The applied filters of an answer as short chip labels, in a stable reading order. */
export function filterChips(filters) {
  if (!filters || typeof filters !== "object") return [];
  const f = filters;
  const chips = [];
  const has = (key) => present(f[key]);
  const types = anyOfTypes(f);
  const breeds = anyOfBreeds(f);
  if (types.length) chips.push(`type: ${types.join(" or ")}`);
  if (listOf(f.exclude_types).length) chips.push(`not: ${listOf(f.exclude_types).join(" or ")}`);
  if (breeds.length) chips.push(`breed: ${breeds.join(" or ")}`);
  if (listOf(f.exclude_breeds).length) chips.push(`not: ${listOf(f.exclude_breeds).join(" or ")}`);
  if (has("name")) chips.push(`name: ${f.name}`);
  if (has("min_price") && has("max_price")) {
    chips.push(`${formatPrice(f.min_price)} – ${formatPrice(f.max_price)}`);
  } else if (has("min_price")) {
    chips.push(`≥ ${formatPrice(f.min_price)}`);
  } else if (has("max_price")) {
    chips.push(`≤ ${formatPrice(f.max_price)}`);
  }
  if (has("min_age")) chips.push(`age ≥ ${formatAge(f.min_age)}`);
  if (has("max_age")) chips.push(`age ≤ ${formatAge(f.max_age)}`);
  if (has("sort_by")) chips.push(SORT_LABELS[f.sort_by] ?? `sort: ${f.sort_by}`);
  for (const [key, value] of Object.entries(f)) {
    if (!KNOWN_FIELDS.has(key) && present(value) && typeof value !== "object") {
      chips.push(`${key.replace(/_/g, " ")}: ${value}`);
    }
  }
  return chips;
}

function range(low, high, show, suffix = "") {
  if (present(low) && present(high)) return `${show(low)} to ${show(high)}${suffix}`;
  if (present(low)) return `at least ${show(low)}${suffix}`;
  if (present(high)) return `up to ${show(high)}${suffix}`;
  return "";
}

/** The filters as one line a person reads: "dogs, not Beagle, up to $500, youngest first". */
export function describeFilters(filters) {
  if (!hasFilters(filters)) return "";
  const f = filters;
  const excluded = [...listOf(f.exclude_types).map(pluralType), ...listOf(f.exclude_breeds)];
  const parts = [
    anyOfTypes(f).map(pluralType).join(" or "),
    anyOfBreeds(f).join(" or "),
    excluded.length ? `not ${excluded.join(" or ")}` : "",
    present(f.name) ? `named ${f.name}` : "",
    range(f.min_price, f.max_price, formatPrice),
    range(f.min_age, f.max_age, formatAge, " old"),
    present(f.sort_by) ? SORT_LABELS[f.sort_by] ?? `sorted by ${String(f.sort_by).replace(/_/g, " ")}` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

// What a filter field is, for "To find some, I left out: the price limit."
const FIELD_NAMES = {
  type_filter: "the kind of pet",
  types: "the kind of pet",
  exclude_types: "the kinds you ruled out",
  breed: "the breed",
  breeds: "the breed",
  exclude_breeds: "the breeds you ruled out",
  name: "the name",
  sort_by: "the order",
};

/** A filter field in words: "max_price" -> "the price limit"; a field the page does not know still reads. */
export function fieldName(field) {
  const key = String(field);
  if (Object.hasOwn(FIELD_NAMES, key)) return FIELD_NAMES[key];
  const bound = /^(?:min|max)_(.+)$/.exec(key);
  return bound ? `the ${bound[1].replace(/_/g, " ")} limit` : `the ${key.replace(/_/g, " ")}`;
}

/** "a", "a and b", "a, b and c". */
function inWords(items) {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** `relaxed` (the fields the answer dropped) as a sentence, or "" when it dropped none. */
export function describeRelaxed(relaxed) {
  const fields = Array.isArray(relaxed) ? relaxed.filter((item) => typeof item === "string" && item.trim()) : [];
  const names = [...new Set(fields.map(fieldName))];
  return names.length ? `To find some, I left out: ${inWords(names)}.` : "";
}

/** `corrected` (a word as typed -> what it was read as) as a sentence, or "" when nothing was. */
export function describeCorrected(corrected) {
  if (!corrected || typeof corrected !== "object" || Array.isArray(corrected)) return "";
  const pairs = Object.entries(corrected)
    .filter(([typed, read]) => typed.trim() && typeof read === "string" && read.trim())
    .map(([typed, read]) => `“${typed}” as ${read}`);
  return pairs.length ? `Read ${inWords(pairs)}.` : "";
}
