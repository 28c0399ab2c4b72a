// The chat screen: asking, answers, "Show more", and the conversation (each typed question refines
// the answer before it, until the person starts over).

import { ApiError, SessionExpired } from "./api.js";
import { AuthError } from "./auth.js";
import { EXAMPLES, answerParts, errorParts, petCard, questionButtons } from "./answer.js";
import { RefineBar } from "./conversation.js";
import { $, el, setBusy } from "./dom.js";
import { isAddIntent } from "./intent.js";
import { MAX_QUESTION_CHARS } from "./limits.js";
import { settleMessage, thinkingLine } from "./log.js";

const STAFF_EXAMPLE = "add a dog named Max, a 3 year old Labrador, $600";

/**
 * Wires the chat to `session` and `log`. `onAddSentence(text)` takes a staff member's "add a ..."
 * sentence; `onExpired(message)` ends the session. Returns `start()` and `reset()`.
 */
export function createChat(session, log, { onAddSentence, onExpired }) {
  const input = $("chat-input");
  input.maxLength = MAX_QUESTION_CHARS;
  const conversation = session.conversation;
  const refine = new RefineBar({
    onStartOver: () => {
      conversation.startOver();
      refine.startedOver();
    },
  });

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
    }
    log.bot(...parts).classList.add("msg-welcome");
  }

  function failed(node, err, retry) {
    if (err instanceof SessionExpired) {
      onExpired(err.message);
      return;
    }
    const message = err instanceof ApiError || err instanceof AuthError
      ? err.message
      : "Something went wrong on the page. Try again.";
    const worthRetrying = err instanceof ApiError && err.worthRetrying;
    settleMessage(node, "error", errorParts(message, worthRetrying ? retry : null));
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
        for (const pet of Array.isArray(data.pets) ? data.pets : []) grid.append(petCard(pet));
        token = data.next_token;
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
      if (conversation.settle(question.turn, data.filters)) refine.show(conversation.context);
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      failed(node, err, () => {
        settleMessage(node, "thinking", [thinkingLine()]);
        run(question, node);
      });
    }
    if (session.isCurrent(mine)) node.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  /** Asks `text`: as a follow-up of the last answer, or, with `fresh`, as a new search. */
  async function ask(text, { fresh = false } = {}) {
    const query = text.trim();
    if (!query) return;
    log.user(query);
    if (session.user.isStaff && isAddIntent(query)) {
      onAddSentence(query);
      return;
    }
    refine.dismissNote();
    const question = { query, ...conversation.open({ fresh }) };
    const node = log.thinking();
    node.scrollIntoView({ block: "nearest" });
    await run(question, node);
  }

  function start() {
    if (log.isEmpty) welcome();
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
  return { start, reset };
}
