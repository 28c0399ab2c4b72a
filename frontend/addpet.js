// The "Add a pet" dialog for staff: filled by hand or from a sentence, checked on the page and by
// the API, and nothing is written until "Add pet" is pressed.

import { ApiError, SessionExpired } from "./api.js";
import { petGrid } from "./answer.js";
import { $, el, setBusy } from "./dom.js";
import { parseAddPet } from "./intent.js";

const PET_FIELDS = ["name", "type", "breed", "age", "price"];
const MAX_TEXT = 100;
const DEFAULT_NOTE = "Every field is needed. Nothing is saved until you press “Add pet”.";

const fieldInput = (field) => $(`pet-${field}`);

function setFieldError(field, message) {
  const input = fieldInput(field);
  $(`pet-${field}-error`).textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

/** The form's pet, and a message for each field that is wrong. */
function readPetForm() {
  const raw = Object.fromEntries(PET_FIELDS.map((field) => [field, fieldInput(field).value.trim()]));
  const errors = {};
  for (const field of ["name", "type", "breed"]) {
    if (!raw[field]) errors[field] = `Enter the pet's ${field}.`;
    else if (raw[field].length > MAX_TEXT) errors[field] = `Use ${MAX_TEXT} characters or fewer.`;
  }
  const numbers = {};
  for (const [field, label] of [["age", "Age"], ["price", "Price"]]) {
    const text = raw[field].replace(/^\$/, "").replace(/,/g, "");
    const value = Number(text);
    if (!raw[field]) errors[field] = `Enter the pet's ${field}.`;
    else if (!/^-?\d*\.?\d+$/.test(text)) errors[field] = `${label} must be a number.`;
    else if (value < 0) errors[field] = `${label} can't be below 0.`;
    numbers[field] = value;
  }
  const pet = { name: raw.name, type: raw.type.toLowerCase(), breed: raw.breed, age: numbers.age, price: numbers.price };
  return { pet, errors };
}

/** The pet field an API message names first ("price: must be at most ..."), if any. */
function fieldNamedIn(message) {
  let best = null;
  for (const field of PET_FIELDS) {
    const match = new RegExp(`\\b${field}\\b`, "i").exec(message);
    if (match && (best === null || match.index < best.index)) best = { field, index: match.index };
  }
  return best?.field ?? null;
}

/**
 * Wires the dialog. `log` is the chat's message list (the added pet is shown there); `onExpired(message)`
 * ends the session. Returns `open(values, note)`, `openFromSentence(sentence)` and `reset()`.
 */
export function createAddPet(session, log, { onExpired }) {
  const dialog = $("add-dialog");
  const chatInput = $("chat-input");

  function clearErrors() {
    $("add-error").textContent = "";
    for (const field of PET_FIELDS) setFieldError(field, "");
  }

  function reset() {
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
    open(values, "Filled in from your message. Check every field, then press “Add pet” to save it.");
  }

  function showFailure(err) {
    if (err instanceof ApiError && err.status === 403) {
      $("add-error").textContent = "Only staff can add pets.";
      return;
    }
    const field = err instanceof ApiError && err.status === 400 ? fieldNamedIn(err.message) : null;
    if (field) {
      setFieldError(field, err.message);
      fieldInput(field).focus();
    } else {
      $("add-error").textContent = err.message || "Adding the pet failed. Try again.";
    }
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
      const created = await session.api.addPet(pet);
      if (!session.isCurrent(mine)) return;
      reset();
      const node = log.bot(
        el("h2", { className: "summary", text: `Added ${created.name ?? pet.name} to the store.` }),
        petGrid([created]),
      );
      node.classList.add("msg-added");
      node.scrollIntoView({ block: "nearest" });
      chatInput.focus();
    } catch (err) {
      if (!session.isCurrent(mine)) return;
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
  return { open, openFromSentence, reset };
}
