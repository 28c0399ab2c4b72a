// Small DOM helpers. Text always goes in as text (textContent), never as HTML.

export const $ = (id) => document.getElementById(id);

/** A new element with a class, text and attributes, and the given children appended. */
export function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Disables a button and shows what it is doing; `busy` false puts its label back. */
export function setBusy(button, busy, busyText) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyText;
    button.disabled = true;
  } else if (button.dataset.label) {
    button.textContent = button.dataset.label;
    button.disabled = false;
  }
}
