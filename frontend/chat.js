// The chat screen: asking, answers, "Show more", the conversation (each typed question refines the
// answer before it, until the person starts over), and drawing it again after a reload.

import { ApiError, SessionExpired } from "./api.js";
import { AuthError } from "./auth.js";
import { EXAMPLES, addedParts, answerParts, errorParts, petCard, questionButtons } from "./answer.js";
import { RefineBar } from "./conversation.js";
import { $, el, setBusy } from "./dom.js";
import { isAddIntent } from "./intent.js";
import { MAX_QUESTION_CHARS } from "./limits.js";
import { settleMessage, thinkingLine } from "./log.js";
import { MAX_STORED_PETS, cleanAnswer } from "./transcript.js";

const STAFF_EXAMPLE = "add a dog named Max, a 3 year old Labrador, $600";
// What "Start over" asks: the same words typed get the same answer, all our pets.
const START_OVER = "start over";

/**
 * Wires the chat to `session` and `log`. `onAddSentence(text)` takes a staff member's "add a ..."
 * sentence; `onExpired(message)` ends the session; `onTwoStep()` opens the two-step sign-in setup
 * the welcome offers staff. Returns `start()`, `reset()` and `twoStepIsOn()`.
 */
export function createChat(session, log, { onAddSentence, onExpired, onTwoStep }) {
  const input = $("chat-input");
  input.maxLength = MAX_QUESTION_CHARS;
  const { conversation, transcript } = session;
  const refine = new RefineBar({ onStartOver: () => startOver() });

  function welcome() {
    const user = session.user;
    const examples = user.isStaff ? [...EXAMPLES.slice(0, 4), STAFF_EXAMPLE] : EXAMPLES;
    const parts = [
      el("p", {
        className: "lead",
        text: `Hi ${user.username || "there"}! Ask me about our pets in your own words. Try one of these:`,
      }),
      // An example is a whole question: it starts a new search.
      questionButtons("Example questions", examples, (text) => ask(text, { fresh: true })),
    ];
    if (user.isStaff) {
      parts.push(el("p", {
        className: "hint",
        text: "As staff you can also add a pet: write it as a sentence starting with “add”, or use “Add a pet” at the top.",
      }));
      if (!session.tokens.twoStep) parts.push(twoStepOffer());
    }
    log.bot(...parts).classList.add("msg-welcome");
  }

  function twoStepOffer() {
    const button = el("button", { className: "secondary small", text: "Set up two-step sign-in", attrs: { type: "button" } });
    button.addEventListener("click", onTwoStep);
    return el("div", { className: "offer", attrs: { id: "twostep-offer" } }, [
      el("p", { text: "Keep your staff account safe: sign in with a code from an authenticator app as well as your password." }),
      button,
    ]);
  }

  /** Two-step sign-in was just turned on: the welcome stops offering it. */
  function twoStepIsOn() {
    $("twostep-offer")?.replaceWith(el("p", { className: "hint", text: "Two-step sign-in is on for your account." }));
  }

  /** What went wrong, said in the question's bubble, with "Try again" when that may help. */
  function failed(question, node, err, retry) {
    if (err instanceof SessionExpired) {
      onExpired(err.message);
      return;
    }
    const message = err instanceof ApiError || err instanceof AuthError
      ? err.message
      : "Something went wrong on the page. Try again.";
    const worthRetrying = err instanceof ApiError && err.worthRetrying;
    settleMessage(node, "error", errorParts(message, worthRetrying ? retry : null));
    transcript.put(question.slot, { who: "bot", kind: "error", text: message });
  }

  /** The stored answer of `slot` with the pets "Show more" brought, while they fit. */
  function keepMore(slot, pets, nextToken) {
    const stored = transcript.get(slot);
    if (!stored || stored.data.pets.length + pets.length > MAX_STORED_PETS) return;
    const data = { ...stored.data, pets: [...stored.data.pets, ...cleanAnswer({ pets }).pets], next_token: nextToken };
    transcript.put(slot, { ...stored, data });
  }

  function moreButton(question, nextToken, grid) {
    const button = el("button", { className: "secondary more", text: "Show more", attrs: { type: "button" } });
    const note = el("p", { className: "error-text more-error" });
    let token = nextToken;
    button.addEventListener("click", async () => {
      const mine = session.mark();
      setBusy(button, true, "Loading more…");
      note.remove();
      try {
        // The same question, with the context it was first asked with.
        const data = await session.api.queryPets(question.query, { context: question.context, nextToken: token });
        if (!session.isCurrent(mine)) return;
        const pets = Array.isArray(data.pets) ? data.pets : [];
        for (const pet of pets) grid.append(petCard(pet));
        token = data.next_token;
        keepMore(question.slot, pets, token ?? null);
        setBusy(button, false);
        if (!token) {
          const hadFocus = document.activeElement === button;
          button.replaceWith(el("p", { className: "hint end-note", text: "That's every pet matching this question." }));
          if (hadFocus) input.focus();
        }
      } catch (err) {
        if (!session.isCurrent(mine)) return;
        setBusy(button, false);
        if (err instanceof SessionExpired) return onExpired(err.message);
        note.textContent = err.message;
        button.after(note);
      }
    });
    return button;
  }

  function showAnswer(node, question, data) {
    const parts = answerParts(data, {
      onExample: (text) => ask(text, { fresh: true }),
      onSuggestion: (text) => {
        // A suggestion is a whole question; the person's next words most likely refine its answer.
        ask(text, { fresh: true });
        input.focus();
      },
    });
    const at = parts.findIndex((part) => part.classList.contains("pet-grid"));
    if (at >= 0 && data.next_token) parts.splice(at + 1, 0, moreButton(question, data.next_token, parts[at]));
    settleMessage(node, "answer", parts);
  }

  async function run(question, node) {
    const mine = session.mark();
    try {
      const data = await session.api.queryPets(question.query, { context: question.context });
      if (!session.isCurrent(mine)) return;
      showAnswer(node, question, data);
      const asked = { query: question.query, context: question.context };
      transcript.put(question.slot, { who: "bot", kind: "answer", asked, data: cleanAnswer(data) });
      if (conversation.settle(question.turn, data.filters)) refine.show(conversation.context);
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      failed(question, node, err, () => {
        settleMessage(node, "thinking", [thinkingLine()]);
        run(question, node);
      });
    }
    // The person's question at the top of the view, however long its answer.
    if (session.isCurrent(mine)) question.shown.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  /** Asks `text`: as a follow-up of the last answer, or, with `fresh`, as a new search. */
  async function ask(text, { fresh = false } = {}) {
    const query = text.trim();
    if (!query) return;
    const shown = log.user(query);
    transcript.add({ who: "user", text: query });
    if (session.user.isStaff && isAddIntent(query)) {
      onAddSentence(query);
      return;
    }
    const question = { query, shown, slot: transcript.add(null), ...conversation.open({ fresh }) };
    const node = log.thinking();
    node.scrollIntoView({ block: "nearest" });
    await run(question, node);
  }

  /** "Start over" asks what typing it asks, with no context, and the stored conversation begins there. */
  function startOver() {
    conversation.startOver();
    refine.show(null);
    input.focus();
    ask(START_OVER, { fresh: true });
  }

  /** Draws a stored message again; `id` is its place in the transcript. Returns its node. */
  function draw({ id, message }) {
    if (message.who === "user") return log.user(message.text);
    if (message.kind === "answer") {
      const node = log.bot();
      showAnswer(node, { ...message.asked, slot: id }, message.data);
      return node;
    }
    if (message.kind === "added") {
      const node = log.bot(...addedParts(message.pet));
      node.classList.add("msg-added");
      return node;
    }
    if (message.kind === "note") return log.bot(el("p", { text: message.text }));
    const node = log.bot();
    settleMessage(node, "error", errorParts(message.text, null));
    return node;
  }

  /** The conversation this tab had before a reload, drawn again, its last question in view. */
  function restore() {
    const entries = transcript.restore(session.user.username);
    conversation.resume();
    const questions = entries.map(draw).filter((_, at) => entries[at].message.who === "user");
    questions.at(-1)?.scrollIntoView({ block: "start" });
  }

  function start() {
    if (log.isEmpty) {
      welcome();
      restore();
    }
    refine.show(conversation.context);
    input.focus();
  }

  function reset() {
    log.clear();
    input.value = "";
    refine.clear();
  }

  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    ask(text);
  });
  return { start, reset, twoStepIsOn };
}
