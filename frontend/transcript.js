// The conversation as this tab keeps it across a reload: the messages shown, as data and never as
// HTML, and the filters the next question refines. It lives in sessionStorage beside the tokens, so
// it lasts as long as the sign-in does and goes with it. It is bounded, and read back with
// suspicion: what the page cannot read as its own is dropped, and every text in it still goes on
// the page as text.

const KEY = "petstore.conversation";
const VERSION = 1;
// The last 40 messages (about 20 questions with their answers), at most 200,000 characters in all:
// a small part of what a browser gives a site's sessionStorage (about 5 MB).
export const MAX_MESSAGES = 40;
export const MAX_CHARS = 200_000;
// A stored answer keeps its pets while "Show more" has brought no more than this many.
export const MAX_STORED_PETS = 48;
const PET_KEYS = ["id", "name", "type", "breed", "age", "price"];

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value) => (typeof value === "string" ? value : "");
const strings = (value) => (Array.isArray(value) ? value.filter((item) => typeof item === "string") : []);
const scalar = (value) => typeof value === "string" || (typeof value === "number" && Number.isFinite(value));

/** Filters as the API sends them: fields holding a string, a number, a boolean or a list of those. */
export function cleanFilters(value) {
  if (!isObject(value)) return null;
  const kept = Object.entries(value).filter(
    ([, item]) => scalar(item) || typeof item === "boolean" || (Array.isArray(item) && item.every(scalar)),
  );
  return Object.fromEntries(kept);
}

function cleanPet(pet) {
  return isObject(pet) ? Object.fromEntries(PET_KEYS.map((key) => [key, scalar(pet[key]) ? pet[key] : ""])) : null;
}

/** What the page needs of an answer to draw it again, and nothing else. */
export function cleanAnswer(data) {
  const source = isObject(data) ? data : {};
  const corrected = isObject(source.corrected) ? source.corrected : {};
  return {
    query: text(source.query),
    filters: cleanFilters(source.filters) ?? {},
    source: text(source.source),
    summary: text(source.summary),
    pets: (Array.isArray(source.pets) ? source.pets : []).map(cleanPet).filter(Boolean),
    next_token: typeof source.next_token === "string" ? source.next_token : null,
    unmatched: strings(source.unmatched),
    suggestions: (Array.isArray(source.suggestions) ? source.suggestions : [])
      .filter((item) => isObject(item) && typeof item.query === "string")
      .map((item) => ({ query: item.query })),
    relaxed: strings(source.relaxed),
    corrected: Object.fromEntries(Object.entries(corrected).filter(([, read]) => typeof read === "string")),
  };
}

/** A stored message as the page writes it, or null: a person's words, or an answer, an added pet, a note or an error. */
function cleanMessage(message) {
  if (!isObject(message)) return null;
  if (message.who === "user") return typeof message.text === "string" ? { who: "user", text: message.text } : null;
  if (message.who !== "bot") return null;
  switch (message.kind) {
    case "answer":
      if (!isObject(message.asked) || typeof message.asked.query !== "string") return null;
      return {
        who: "bot",
        kind: "answer",
        asked: { query: message.asked.query, context: cleanFilters(message.asked.context) },
        data: cleanAnswer(message.data),
      };
    case "added":
      return isObject(message.pet) ? { who: "bot", kind: "added", pet: cleanPet(message.pet) } : null;
    case "note":
    case "error":
      return typeof message.text === "string" ? { who: "bot", kind: message.kind, text: message.text } : null;
    default:
      return null;
  }
}

/** The stored conversation of `username`, or null for anything else: no value, bad JSON, another version or person. */
function readStored(raw, username) {
  let stored;
  try {
    stored = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(stored) || stored.v !== VERSION || stored.user !== username || !Array.isArray(stored.messages)) {
    return null;
  }
  return {
    context: cleanFilters(stored.context),
    messages: stored.messages.slice(-MAX_MESSAGES).map(cleanMessage).filter(Boolean),
  };
}

/**
 * The stored conversation: part of the session's state. Messages are added as they are shown; an
 * answer's place is taken when its question is asked, so answers that arrive out of order are kept
 * in the order they stand on the page.
 */
export class Transcript {
  constructor(storage) {
    this.storage = storage;
    this.forget();
  }

  forget() {
    this.user = "";
    this.context = null;
    this.entries = [];
    this.lastId = 0;
  }

  /**
   * Picks up what this tab stored for `username`. Returns its messages as `{ id, message }`, in
   * order; none when nothing usable was stored.
   */
  restore(username) {
    this.forget();
    this.user = username;
    const stored = readStored(this.storage.getItem(KEY), username);
    if (!stored) {
      this.storage.removeItem(KEY);
      return [];
    }
    this.context = stored.context;
    this.entries = stored.messages.map((message) => ({ id: ++this.lastId, message }));
    return [...this.entries];
  }

  /** Adds a message (null keeps a place for one to come) and returns its id. */
  add(message) {
    const id = ++this.lastId;
    this.entries.push({ id, message });
    this.save();
    return id;
  }

  /** Puts `message` in the place of `id`, if it is still kept. */
  put(id, message) {
    const entry = this.entries.find((item) => item.id === id);
    if (!entry) return;
    entry.message = message;
    this.save();
  }

  /** The message kept at `id`, or null. */
  get(id) {
    return this.entries.find((item) => item.id === id)?.message ?? null;
  }

  setContext(context) {
    this.context = context;
    this.save();
  }

  /** Starts again from nothing, for the same person. */
  reset() {
    this.entries = [];
    this.context = null;
    this.storage.removeItem(KEY);
  }

  /** Writes the last messages that fit; a full storage drops the oldest, and at worst the whole value. */
  save() {
    this.entries = this.entries.slice(-MAX_MESSAGES);
    let messages = this.entries.map((entry) => entry.message).filter(Boolean);
    while (messages.length) {
      const raw = JSON.stringify({ v: VERSION, user: this.user, context: this.context, messages });
      if (raw.length <= MAX_CHARS && this.write(raw)) return;
      messages = messages.slice(Math.max(1, Math.floor(messages.length / 4)));
    }
    if (!this.write(JSON.stringify({ v: VERSION, user: this.user, context: this.context, messages }))) {
      this.storage.removeItem(KEY);
    }
  }

  write(raw) {
    try {
      this.storage.setItem(KEY, raw);
      return true;
    } catch {
      return false;
    }
  }
}
