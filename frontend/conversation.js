// The conversation: which answer the next question refines (its filters, sent back as `context`),
// and the line above the composer that says so, with its "Start over" button.

import { $ } from "./dom.js";
import { describeFilters, hasFilters } from "./format.js";

/**
 * The context a typed question is sent with. Part of the session's state; kept in `transcript`
 * too, so a reload picks it up.
 *
 * Questions are numbered as they are asked. An answer's filters become the context only when no
 * later question has been answered since and the person has not started over since it was asked,
 * so a slow answer never replaces a newer one.
 */
export class Conversation {
  constructor(transcript) {
    this.transcript = transcript;
    this.reset();
  }

  reset() {
    this.context = null;
    this.asked = 0;
    this.settled = 0;
  }

  /** Carries on from the stored conversation's context. */
  resume() {
    this.context = this.transcript.context;
  }

  /** A new question: its number, and the context to send with it (none when it starts fresh). */
  open({ fresh = false } = {}) {
    this.asked += 1;
    return { turn: this.asked, context: fresh ? null : this.context };
  }

  /** The answer to question `turn` came with `filters`; true when they became the context. */
  settle(turn, filters) {
    if (turn <= this.settled) return false;
    this.settled = turn;
    this.context = hasFilters(filters) ? filters : null;
    this.transcript.setContext(this.context);
    return true;
  }

  /** Drops the context and the stored conversation: what comes next is all there is to remember. */
  startOver() {
    this.context = null;
    this.settled = this.asked;
    this.transcript.reset();
  }
}

/** "Refining: dogs, up to $500" above the composer, with its "Start over" button. */
export class RefineBar {
  constructor({ onStartOver }) {
    this.bar = $("refine");
    this.text = $("refine-text");
    this.input = $("chat-input");
    $("start-over").addEventListener("click", onStartOver);
  }

  /** Shows what the next question refines; hides the bar when there is nothing to refine. */
  show(context) {
    const line = describeFilters(context);
    this.text.textContent = line;
    this.bar.hidden = !line;
    this.input.placeholder = line ? "Refine, or ask anew…" : "Ask about our pets…";
    // The question box says what it refines, for those who hear the page rather than see it.
    if (line) this.input.setAttribute("aria-describedby", "refine-line");
    else this.input.removeAttribute("aria-describedby");
  }

  clear() {
    this.show(null);
  }
}
