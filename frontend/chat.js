// The chat screen: asking, answers, "Show more", retries and the welcome message.

import { ApiError, SessionExpired } from "./api.js";
import { AuthError } from "./auth.js";
import { EXAMPLES, answerParts, errorParts, petCard, questionButtons } from "./answer.js";
import { $, el, setBusy } from "./dom.js";
import { isAddIntent } from "./intent.js";
import { settleMessage, thinkingLine } from "./log.js";

const STAFF_EXAMPLE = "add a dog named Max, a 3 year old Labrador, $600";

/**
 * Wires the chat to `session` and `log`. `onAddSentence(text)` takes a staff member's "add a ..."
 * sentence; `onExpired(message)` ends the session. Returns `start()` and `reset()`.
 */
export function createChat(session, log, { onAddSentence, onExpired }) {
  const input = $("chat-input");

  function welcome() {
    const user = session.user;
    const examples = user.isStaff ? [...EXAMPLES.slice(0, 4), STAFF_EXAMPLE] : EXAMPLES;
    const parts = [
      el("p", {
        className: "lead",
        text: `Hi ${user.username || "there"}! Ask me about our pets in your own words. Try one of these:`,
      }),
      questionButtons("Example questions", examples, (text) => ask(text)),
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

  function moreButton(query, nextToken, grid) {
    const button = el("button", { className: "secondary more", text: "Show more", attrs: { type: "button" } });
    const note = el("p", { className: "error-text more-error" });
    let token = nextToken;
    button.addEventListener("click", async () => {
      const mine = session.mark();
      setBusy(button, true, "Loading more…");
      note.remove();
      try {
        const data = await session.api.queryPets(query, { nextToken: token });
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

  function showAnswer(node, query, data) {
    const parts = answerParts(data, { onExample: (text) => ask(text) });
    const at = parts.findIndex((part) => part.classList.contains("pet-grid"));
    if (at >= 0 && data.next_token) parts.splice(at + 1, 0, moreButton(query, data.next_token, parts[at]));
    settleMessage(node, "answer", parts);
  }

  async function run(query, node) {
    const mine = session.mark();
    try {
      const data = await session.api.queryPets(query);
      if (!session.isCurrent(mine)) return;
      showAnswer(node, query, data);
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      failed(node, err, () => {
        settleMessage(node, "thinking", [thinkingLine()]);
        run(query, node);
      });
    }
    if (session.isCurrent(mine)) node.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  async function ask(text) {
    const query = text.trim();
    if (!query) return;
    log.user(query);
    if (session.user.isStaff && isAddIntent(query)) {
      onAddSentence(query);
      return;
    }
    const node = log.thinking();
    node.scrollIntoView({ block: "nearest" });
    await run(query, node);
  }

  function start() {
    if (log.isEmpty) welcome();
    input.focus();
  }

  function reset() {
    log.clear();
    input.value = "";
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
