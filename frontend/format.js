// How pets and filters read on the page: money, ages and the filter chips.

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

/** The applied filters of an answer as short chip labels, in a stable reading order. */
export function filterChips(filters) {
  if (!filters || typeof filters !== "object") return [];
  const f = filters;
  const chips = [];
  const has = (key) => f[key] !== undefined && f[key] !== null && f[key] !== "";
  if (has("type_filter")) chips.push(`type: ${f.type_filter}`);
  if (has("breed")) chips.push(`breed: ${f.breed}`);
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
  const known = new Set(["type_filter", "breed", "name", "min_price", "max_price", "min_age", "max_age", "sort_by"]);
  for (const [key, value] of Object.entries(f)) {
    if (!known.has(key) && value !== null && value !== undefined && typeof value !== "object") {
      chips.push(`${key.replace(/_/g, " ")}: ${value}`);
    }
  }
  return chips;
}
