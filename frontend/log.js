// The chat's message list: people's questions on one side, the store's answers on the other.
// The list sits in a role="log" region, so screen readers hear each new message.

import { $, el } from "./dom.js";

export class ChatLog {
  constructor() {
    this.list = $("messages");
  }

  get isEmpty() {
    return this.list.children.length === 0;
  }

  clear() {
    this.list.replaceChildren();
  }

  append(node) {
    this.list.append(node);
    return node;
  }

  user(text) {
    return this.append(el("li", { className: "msg msg-user" }, [el("p", { className: "bubble", text })]));
  }

  bot(...children) {
    const bubble = el("div", { className: "bubble" }, children);
    return this.append(el("li", { className: "msg msg-bot" }, [bubble]));
  }

  /** A "Looking for pets" bubble that an answer or an error replaces later. */
  thinking() {
    const node = this.bot(thinkingLine());
    node.classList.add("msg-thinking");
    node.setAttribute("aria-busy", "true");
    return node;
  }
}

export function thinkingLine() {
  const dots = el("span", { className: "dots", attrs: { "aria-hidden": "true" } }, [
    el("span"), el("span"), el("span"),
  ]);
  return el("p", { className: "thinking" }, [el("span", { text: "Looking for pets" }), dots]);
}

/** Puts new content in a bot message and marks what it now is: "answer", "error", "thinking". */
export function settleMessage(node, state, children) {
  node.querySelector(".bubble").replaceChildren(...children);
  node.classList.remove("msg-thinking", "msg-error", "msg-answer");
  node.classList.add(`msg-${state}`);
  if (state === "thinking") node.setAttribute("aria-busy", "true");
  else node.removeAttribute("aria-busy");
}
