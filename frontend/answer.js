// What an answer looks like: summary, badge, filter chips, what was left out or read otherwise, words
// not used, pet cards, and the questions to try next. Builders only: they hold no state and send nothing.

import { el } from "./dom.js";
import { describeCorrected, describeRelaxed, filterChips, formatAge, formatPrice } from "./format.js";

export const EXAMPLES = [
  "cheap dogs under $500, youngest first",
  "cats",
  "birds under $100",
  "the oldest rabbits",
  "puppies under 1 year old",
  "most expensive pets first",
];

/** The non-empty strings of a list the API sends (`unmatched`), whatever else it holds. */
function strings(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string" && item.trim()) : [];
}

/** The questions of `suggestions` that can be asked as they are. */
export function suggestedQuestions(data) {
  const list = Array.isArray(data?.suggestions) ? data.suggestions : [];
  return list.map((item) => item?.query).filter((query) => typeof query === "string" && query.trim());
}

/** A list of question buttons; `onAsk(text)` runs when one is pressed. */
export function questionButtons(label, questions, onAsk, className = "examples") {
  const list = el("ul", { className, attrs: { "aria-label": label } });
  for (const text of questions) {
    const button = el("button", { className: "example", text, attrs: { type: "button" } });
    button.addEventListener("click", () => onAsk(text));
    list.append(el("li", {}, [button]));
  }
  return list;
}

export function petCard(pet) {
  const name = String(pet.name ?? "");
  const type = String(pet.type ?? "");
  const card = el("li", { className: "pet-card", attrs: { "data-pet-id": String(pet.id ?? "") } });
  const avatar = el("span", {
    className: `pet-avatar pet-avatar-${/^[a-z]+$/.test(type) ? type : "other"}`,
    text: (name.trim()[0] || "?").toUpperCase(),
    attrs: { "aria-hidden": "true" },
  });
  const title = el("h3", { className: "pet-name", text: name });
  const kind = el("p", { className: "pet-kind" }, [
    el("span", { className: "pet-breed", text: pet.breed ?? "" }),
    el("span", { className: "sep", text: " · ", attrs: { "aria-hidden": "true" } }),
    el("span", { className: "pet-type", text: type }),
  ]);
  const facts = el("dl", { className: "pet-facts" }, [
    el("div", {}, [
      el("dt", { text: "Age" }),
      el("dd", { className: "pet-age", text: formatAge(pet.age), attrs: { "data-age": String(pet.age) } }),
    ]),
    el("div", {}, [
      el("dt", { text: "Price" }),
      el("dd", { className: "pet-price", text: formatPrice(pet.price), attrs: { "data-price": String(pet.price) } }),
    ]),
  ]);
  card.append(el("div", { className: "pet-head" }, [avatar, el("div", {}, [title, kind])]), facts);
  return card;
}

export function petGrid(pets) {
  const grid = el("ul", { className: "pet-grid", attrs: { "aria-label": "Pets" } });
  for (const pet of pets) grid.append(petCard(pet));
  return grid;
}

/** A pet just added to the store: "Added Max to the store." and its card. */
export function addedParts(pet) {
  return [
    el("h2", { className: "summary", text: `Added ${String(pet.name ?? "a pet")} to the store.` }),
    petGrid([pet]),
  ];
}

function sourceBadge(source) {
  const ai = source === "bedrock";
  return el("span", {
    className: `badge ${ai ? "badge-ai" : "badge-keyword"}`,
    text: ai ? "AI" : "Keyword match",
    attrs: { title: ai ? "Understood by the AI model" : "Understood by matching keywords" },
  });
}

/**
 * The parts of an answer bubble above its "Show more": the summary, what was understood, the pets,
 * and, when none matched, what to ask instead: the answer's suggestions (`onSuggestion(text)`), or
 * when it has none, a few example questions (`onExample(text)`).
 */
export function answerParts(data, { onExample, onSuggestion }) {
  const pets = Array.isArray(data.pets) ? data.pets : [];
  const parts = [
    el("div", { className: "answer-head" }, [
      el("h2", { className: "summary", text: data.summary || `${pets.length} pets found.` }),
      sourceBadge(data.source),
    ]),
  ];
  const chips = filterChips(data.filters);
  if (chips.length) {
    const list = el("ul", { className: "chips", attrs: { "aria-label": "Filters applied" } });
    for (const chip of chips) list.append(el("li", { className: "chip", text: chip }));
    parts.push(list);
  }
  for (const [className, text] of [
    ["relaxed", describeRelaxed(data.relaxed)],
    ["corrected", describeCorrected(data.corrected)],
  ]) {
    if (text) parts.push(el("p", { className: `reading ${className}`, text }));
  }
  const unmatched = strings(data.unmatched);
  if (unmatched.length) {
    parts.push(el("p", { className: "unmatched", text: `Not used: ${unmatched.join(", ")}` }));
  }
  const suggestions = suggestedQuestions(data);
  if (pets.length) parts.push(petGrid(pets));
  else {
    parts.push(el("p", {
      className: "empty",
      text: suggestions.length
        ? "No pets matched that. Each of these finds some:"
        : "No pets matched that. Try a higher price limit, another kind of pet, fewer details, or one of these:",
    }));
    if (!suggestions.length) parts.push(questionButtons("Other questions to try", EXAMPLES.slice(0, 4), onExample));
  }
  if (suggestions.length) parts.push(questionButtons("Suggestions", suggestions, onSuggestion, "examples suggestions"));
  return parts;
}

export function errorParts(message, retry) {
  const parts = [el("p", { className: "error-text", text: message })];
  if (retry) {
    const button = el("button", { className: "secondary small", text: "Try again", attrs: { type: "button" } });
    button.addEventListener("click", retry);
    parts.push(button);
  }
  return parts;
}
