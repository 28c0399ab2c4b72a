// The "Add a pet" dialog for staff: filled by hand or from a sentence, checked on the page and by
// the API, and nothing is written until "Add pet" is pressed.

import { ApiError, SessionExpired, newIdempotencyKey } from "./api.js";
import { addedParts } from "./answer.js";
import { $, el, setBusy } from "./dom.js";
import { parseAddPet } from "./intent.js";
import { MAX_AGE, MAX_DECIMALS, MAX_PRICE, MAX_TEXT, MAX_TYPE } from "./limits.js";

const PET_FIELDS = ["name", "type", "breed", "age", "price"];
const TEXT_LIMITS = { name: MAX_TEXT, type: MAX_TYPE, breed: MAX_TEXT };
const NUMBERS = {
  age: { max: MAX_AGE, most: `${MAX_AGE} years` },
  price: { max: MAX_PRICE, most: `$${MAX_PRICE.toLocaleString("en-US")}` },
};
const DECIMALS = new RegExp(`^\\d*(?:\\.\\d{0,${MAX_DECIMALS}})?$`);
const DEFAULT_NOTE = "Every field is needed. Nothing is saved until you press “Add pet”.";

const fieldInput = (field) => $(`pet-${field}`);

function setFieldError(field, message) {
  const input = fieldInput(field);
  $(`pet-${field}-error`).textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

/** What is wrong with a number typed for `field` ("$1,250.50" reads as 1250.5), or "". */
function numberProblem(field, text) {
  if (!/^-?\d*\.?\d+$/.test(text)) return `The ${field} must be a number.`;
  const value = Number(text);
  if (value < 0) return `The ${field} must be 0 or more.`;
  if (value > NUMBERS[field].max) return `The ${field} must be at most ${NUMBERS[field].most}.`;
  if (!DECIMALS.test(text)) return `The ${field} must have at most two decimals.`;
  return "";
}

/** The form's pet, and a sentence for each field that is wrong, checked against the server's limits. */
function readPetForm() {
  const raw = Object.fromEntries(PET_FIELDS.map((field) => [field, fieldInput(field).value.trim()]));
  const errors = {};
  for (const [field, most] of Object.entries(TEXT_LIMITS)) {
    if (!raw[field]) errors[field] = `Enter the pet's ${field}.`;
    else if (raw[field].length > most) errors[field] = `The ${field} can have at most ${most} characters.`;
  }
  const numbers = {};
  for (const field of Object.keys(NUMBERS)) {
    const text = raw[field].replace(/^\$/, "").replace(/,/g, "");
    if (!raw[field]) errors[field] = `Enter the pet's ${field}.`;
    else if (numberProblem(field, text)) errors[field] = numberProblem(field, text);
    numbers[field] = Number(text);
  }
  const pet = { name: raw.name, type: raw.type.toLowerCase(), breed: raw.breed, age: numbers.age, price: numbers.price };
  return { pet, errors };
}

/** The pet field an API problem names first ("price: must be at most ..."), if any. */
function fieldNamedIn(problem) {
  let best = null;
  for (const field of PET_FIELDS) {
    const match = new RegExp(`\\b${field}\\b`, "i").exec(problem);
    if (match && (best === null || match.index < best.index)) best = { field, index: match.index };
  }
  return best?.field ?? null;
}

/**
 * One of the API's problems as a sentence: "price: must have at most two decimals" reads "The price
 * must have at most two decimals.", "name is required" reads "The name is required.", and
 * "type: string should have at most 30 characters" reads "The type should have at most 30 characters.".
 */
export function asSentence(problem, field) {
  const text = problem.trim().replace(/[.;\s]+$/, "");
  const named = field && new RegExp(`^${field}(?::\\s*|\\s+)(.+)$`, "i").exec(text);
  if (!named) return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  const rest = named[1].replace(/^(?:string|input|value|number)\s+(?=(?:should|must|is|can)\b)/i, "");
  return `The ${field} ${rest}.`;
}

/** The API's 400 message ("age: must be at most 200; price: must be 0 or more.") as sentences by field. */
function problemsByField(message) {
  const byField = {};
  const rest = [];
  for (const problem of message.split(/;\s*/).filter((part) => part.trim())) {
    const field = fieldNamedIn(problem);
    if (field && !byField[field]) byField[field] = asSentence(problem, field);
    else rest.push(asSentence(problem, null));
  }
  return { byField, rest };
}

/**
 * Wires the dialog. `log` is the chat's message list (the added pet is shown there); `onExpired(message)`
 * ends the session. Returns `open(values, note)`, `openFromSentence(sentence)` and `reset()`.
 */
export function createAddPet(session, log, { onExpired }) {
  const dialog = $("add-dialog");
  const chatInput = $("chat-input");
  // The add being tried, { body, key }: its Idempotency-Key is sent again when the person retries
  // that same pet after no answer, a 429 or a server fault, so the store keeps one pet however
  // many of the tries reached it. A new form or a changed pet gets a new key.
  let attempt = null;

  function keyFor(pet) {
    const body = JSON.stringify(pet);
    if (attempt?.body !== body) attempt = { body, key: newIdempotencyKey() };
    return attempt.key;
  }

  function clearErrors() {
    $("add-error").textContent = "";
    for (const field of PET_FIELDS) setFieldError(field, "");
  }

  function reset() {
    attempt = null;
    if (dialog.open) dialog.close();
    $("add-form").reset();
    clearErrors();
    $("add-note").textContent = DEFAULT_NOTE;
  }

  function open(values = null, note = "") {
    reset();
    if (values) for (const field of PET_FIELDS) fieldInput(field).value = values[field] ?? "";
    if (note) $("add-note").textContent = note;
    dialog.showModal();
    const firstEmpty = PET_FIELDS.find((field) => !fieldInput(field).value.trim());
    if (firstEmpty) fieldInput(firstEmpty).focus();
    else $("add-submit").focus();
  }

  function openFromSentence(sentence) {
    const values = parseAddPet(sentence);
    const missing = PET_FIELDS.filter((field) => !values[field]);
    const reply = missing.length
      ? `I filled in the “Add a pet” form from your message. Please add the ${missing.join(", ")} and press “Add pet”; nothing is saved before that.`
      : "I filled in the “Add a pet” form from your message. Check it and press “Add pet”; nothing is saved before that.";
    log.bot(el("p", { text: reply }));
    session.transcript.add({ who: "bot", kind: "note", text: reply });
    open(values, "Filled in from your message. Check every field, then press “Add pet” to save it.");
  }

  function showFailure(err) {
    if (err instanceof ApiError && err.status === 403) {
      $("add-error").textContent = "Only staff can add pets.";
      return;
    }
    if (!(err instanceof ApiError && err.status === 400)) {
      $("add-error").textContent = err.message || "Adding the pet failed. Try again.";
      return;
    }
    const { byField, rest } = problemsByField(err.message);
    const fields = PET_FIELDS.filter((field) => byField[field]);
    for (const field of fields) setFieldError(field, byField[field]);
    $("add-error").textContent = rest.join(" ");
    if (fields.length) fieldInput(fields[0]).focus();
  }

  async function onSubmit(event) {
    event.preventDefault();
    clearErrors();
    const { pet, errors } = readPetForm();
    const bad = PET_FIELDS.filter((field) => errors[field]);
    if (bad.length) {
      for (const field of bad) setFieldError(field, errors[field]);
      fieldInput(bad[0]).focus();
      return;
    }
    const button = $("add-submit");
    const mine = session.mark();
    setBusy(button, true, "Adding…");
    try {
      const created = await session.api.addPet(pet, keyFor(pet));
      if (!session.isCurrent(mine)) return;
      reset();
      const node = log.bot(...addedParts(created));
      node.classList.add("msg-added");
      session.transcript.add({ who: "bot", kind: "added", pet: created });
      node.scrollIntoView({ block: "nearest" });
      chatInput.focus();
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      if (!(err instanceof ApiError && err.worthRetrying)) attempt = null;
      if (err instanceof SessionExpired) onExpired(err.message);
      else showFailure(err);
    } finally {
      setBusy(button, false);
    }
  }

  $("add-form").addEventListener("submit", onSubmit);
  $("add-cancel").addEventListener("click", () => {
    dialog.close();
    chatInput.focus();
  });
  for (const field of PET_FIELDS) fieldInput(field).addEventListener("input", () => setFieldError(field, ""));
  for (const [field, most] of Object.entries(TEXT_LIMITS)) fieldInput(field).maxLength = most;
  return { open, openFromSentence, reset };
}
