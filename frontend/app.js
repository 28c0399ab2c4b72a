// The chat page: loads config.json, signs in with Cognito, asks the API, renders answers.
// Every text from people, pets, the API or the model goes on the page as text (textContent).

import { AuthError, CognitoClient, REFRESH_MARGIN_MS, session } from "./auth.js";
import { ApiClient, ApiError, SessionExpired } from "./api.js";
import { filterChips, formatAge, formatPrice } from "./format.js";
import { isAddIntent, parseAddPet } from "./intent.js";

const EXAMPLES = [
  "cheap dogs under $500, youngest first",
  "cats",
  "birds under $100",
  "the oldest rabbits",
  "puppies under 1 year old",
  "most expensive pets first",
];
const STAFF_EXAMPLE = "add a dog named Max, a 3 year old Labrador, $600";
const PET_FIELDS = ["name", "type", "breed", "age", "price"];
const MAX_TEXT = 100;
const CONFIG_KEYS = ["apiBaseUrl", "region", "userPoolId", "clientId", "cognitoEndpoint"];

const $ = (id) => document.getElementById(id);
const view = {
  startup: $("startup"),
  configError: $("config-error"),
  login: $("login-view"),
  chat: $("chat-view"),
  composer: $("composer"),
  account: $("account"),
};

let cognito = null;
let api = null;
let refreshTimer = null;
// Bumped on log out, so answers to an old session's requests are dropped.
let generation = 0;
let pendingChallenge = null;

/* ---------- small DOM helpers: text only ---------- */

function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

function show(which) {
  view.startup.hidden = true;
  view.configError.hidden = which !== "config";
  view.login.hidden = which !== "login";
  view.chat.hidden = which !== "chat";
  view.composer.hidden = which !== "chat";
  view.account.hidden = which !== "chat";
}

/* ---------- settings ---------- */

async function loadConfig() {
  let response;
  try {
    response = await fetch("config.json", { cache: "no-store" });
  } catch {
    throw new Error("The page could not load its settings (config.json): the server did not answer.");
  }
  if (!response.ok) {
    throw new Error(`The page could not load its settings (config.json answered HTTP ${response.status}).`);
  }
  let config;
  try {
    config = await response.json();
  } catch {
    throw new Error("The page's settings file (config.json) is not valid JSON.");
  }
  const missing = CONFIG_KEYS.filter((key) => typeof config?.[key] !== "string" || !config[key].trim());
  if (missing.length) {
    throw new Error(`The page's settings file (config.json) is missing: ${missing.join(", ")}.`);
  }
  return config;
}

function showConfigError(message) {
  $("config-error-text").textContent =
    `${message} Ask whoever runs this site to check its settings; locally, start everything with “make run”.`;
  show("config");
}

/* ---------- signing in ---------- */

function setBusy(button, busy, busyText) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyText;
    button.disabled = true;
  } else if (button.dataset.label) {
    button.textContent = button.dataset.label;
    button.disabled = false;
  }
}

function showLogin(notice = "") {
  $("login-form").hidden = false;
  $("newpw-form").hidden = true;
  $("login-error").textContent = "";
  $("login-notice").textContent = notice;
  show("login");
  $("username").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  const error = $("login-error");
  error.textContent = "";
  $("login-notice").textContent = "";
  if (!username || !password) {
    error.textContent = !username ? "Enter your username." : "Enter your password.";
    (!username ? $("username") : $("password")).focus();
    return;
  }
  const button = $("login-submit");
  setBusy(button, true, "Signing in…");
  try {
    const data = await cognito.signIn(username, password);
    if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      pendingChallenge = {
        username: data.ChallengeParameters?.USER_ID_FOR_SRP || username,
        session: data.Session,
      };
      $("login-form").hidden = true;
      $("newpw-form").hidden = false;
      $("newpw-error").textContent = "";
      $("newpw-username").value = pendingChallenge.username;
      $("new-password").focus();
      return;
    }
    if (data.ChallengeName) {
      error.textContent = `This account needs a sign-in step the page does not support (${data.ChallengeName}).`;
      return;
    }
    signedIn(data.AuthenticationResult, username);
  } catch (err) {
    error.textContent = err instanceof AuthError ? err.message : "Signing in failed. Try again.";
    $("password").select();
  } finally {
    setBusy(button, false);
  }
}

async function onNewPassword(event) {
  event.preventDefault();
  const first = $("new-password").value;
  const second = $("confirm-password").value;
  const error = $("newpw-error");
  error.textContent = "";
  if (!first) {
    error.textContent = "Enter a new password.";
    $("new-password").focus();
    return;
  }
  if (first !== second) {
    error.textContent = "The two passwords are not the same.";
    $("confirm-password").focus();
    return;
  }
  const button = $("newpw-submit");
  setBusy(button, true, "Saving…");
  try {
    const data = await cognito.setNewPassword(pendingChallenge.username, first, pendingChallenge.session);
    if (!data.AuthenticationResult) {
      error.textContent = "The sign-in service asked for another step the page does not support.";
      return;
    }
    signedIn(data.AuthenticationResult, pendingChallenge.username);
    pendingChallenge = null;
  } catch (err) {
    if (err instanceof AuthError && err.code === "InvalidPasswordException") {
      error.textContent = `That password is not accepted: ${err.message}`;
    } else if (err instanceof AuthError && err.code === "NotAuthorizedException") {
      showLogin("That sign-in took too long. Please sign in again.");
    } else {
      error.textContent = err.message || "Setting the password failed. Try again.";
    }
  } finally {
    setBusy(button, false);
  }
}

function signedIn(result, username) {
  session.store(result, username);
  $("login-form").reset();
  $("newpw-form").reset();
  startChat();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const wait = Math.max(session.expiresAt - Date.now() - REFRESH_MARGIN_MS, 5000);
  const mine = generation;
  refreshTimer = setTimeout(async () => {
    if (mine !== generation || !session.active) return;
    try {
      await api.refresh();
      if (mine === generation) scheduleRefresh();
    } catch (err) {
      if (err instanceof SessionExpired) logOut(err.message);
      else refreshTimer = setTimeout(scheduleRefresh, 30000);
    }
  }, Math.min(wait, 2 ** 31 - 1));
}

function logOut(notice = "") {
  generation += 1;
  clearTimeout(refreshTimer);
  session.clear();
  pendingChallenge = null;
  $("messages").replaceChildren();
  $("chat-input").value = "";
  const dialog = $("add-dialog");
  if (dialog.open) dialog.close();
  resetAddForm();
  $("who-name").textContent = "";
  $("who-role").textContent = "";
  showLogin(notice);
}

/* ---------- chat ---------- */

function startChat() {
  const user = session.user;
  $("who-name").textContent = user.username || "you";
  $("who-role").textContent = user.isStaff ? "Staff" : "Shopper";
  $("who-role").className = `role-badge ${user.isStaff ? "role-staff" : "role-shopper"}`;
  $("open-add").hidden = !user.isStaff;
  show("chat");
  if (!$("messages").children.length) addWelcome(user);
  scheduleRefresh();
  $("chat-input").focus();
}

function appendMessage(node) {
  const list = $("messages");
  list.append(node);
  return node;
}

function userMessage(text) {
  return appendMessage(el("li", { className: "msg msg-user" }, [el("p", { className: "bubble", text })]));
}

function botMessage(...children) {
  const bubble = el("div", { className: "bubble" }, children);
  return appendMessage(el("li", { className: "msg msg-bot" }, [bubble]));
}

function exampleChips(label, examples) {
  const list = el("ul", { className: "examples", attrs: { "aria-label": label } });
  for (const text of examples) {
    const button = el("button", { className: "example", text, attrs: { type: "button" } });
    button.addEventListener("click", () => ask(text));
    list.append(el("li", {}, [button]));
  }
  return list;
}

function addWelcome(user) {
  const intro = el("p", {
    className: "lead",
    text: `Hi ${user.username || "there"}! Ask me about our pets in your own words. Try one of these:`,
  });
  const examples = user.isStaff ? [...EXAMPLES.slice(0, 4), STAFF_EXAMPLE] : EXAMPLES;
  const children = [intro, exampleChips("Example questions", examples)];
  if (user.isStaff) {
    children.push(el("p", {
      className: "hint",
      text: "As staff you can also add a pet: write it as a sentence starting with “add”, or use “Add a pet” at the top.",
    }));
  }
  botMessage(...children).classList.add("msg-welcome");
}

function thinkingMessage() {
  const dots = el("span", { className: "dots", attrs: { "aria-hidden": "true" } }, [
    el("span"), el("span"), el("span"),
  ]);
  const node = botMessage(el("p", { className: "thinking" }, [el("span", { text: "Looking for pets" }), dots]));
  node.classList.add("msg-thinking");
  node.setAttribute("aria-busy", "true");
  return node;
}

function petCard(pet) {
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

function petGrid(pets) {
  const grid = el("ul", { className: "pet-grid", attrs: { "aria-label": "Pets" } });
  for (const pet of pets) grid.append(petCard(pet));
  return grid;
}

function sourceBadge(source) {
  const ai = source === "bedrock";
  return el("span", {
    className: `badge ${ai ? "badge-ai" : "badge-keyword"}`,
    text: ai ? "AI" : "Keyword match",
    attrs: { title: ai ? "Understood by the AI model" : "Understood by matching keywords" },
  });
}

function errorBubble(message, retry) {
  const children = [el("p", { className: "error-text", text: message })];
  if (retry) {
    const button = el("button", { className: "secondary small", text: "Try again", attrs: { type: "button" } });
    button.addEventListener("click", retry);
    children.push(button);
  }
  return children;
}

function handleFailure(err, node, retry) {
  if (err instanceof SessionExpired) {
    logOut(err.message);
    return;
  }
  const message = err instanceof ApiError || err instanceof AuthError
    ? err.message
    : "Something went wrong on the page. Try again.";
  node.querySelector(".bubble").replaceChildren(...errorBubble(message, retry));
  node.classList.remove("msg-thinking");
  node.removeAttribute("aria-busy");
  node.classList.add("msg-error");
}

function renderAnswer(node, query, data) {
  const pets = Array.isArray(data.pets) ? data.pets : [];
  const head = el("div", { className: "answer-head" }, [
    el("p", { className: "summary", text: data.summary || `${pets.length} pets found.` }),
    sourceBadge(data.source),
  ]);
  const children = [head];
  const chips = filterChips(data.filters);
  if (chips.length) {
    const list = el("ul", { className: "chips", attrs: { "aria-label": "Filters applied" } });
    for (const chip of chips) list.append(el("li", { className: "chip", text: chip }));
    children.push(list);
  }
  if (!pets.length) {
    children.push(
      el("p", {
        className: "empty",
        text: "No pets matched that. Try a higher price limit, another kind of pet, fewer details, or one of these:",
      }),
      exampleChips("Other questions to try", EXAMPLES.slice(0, 4)),
    );
  } else {
    const grid = petGrid(pets);
    children.push(grid);
    if (data.next_token) children.push(moreButton(query, data.next_token, grid));
  }
  const bubble = node.querySelector(".bubble");
  bubble.replaceChildren(...children);
  node.classList.remove("msg-thinking");
  node.removeAttribute("aria-busy");
  node.classList.add("msg-answer");
}

function moreButton(query, nextToken, grid) {
  const button = el("button", { className: "secondary more", text: "Show more", attrs: { type: "button" } });
  let token = nextToken;
  const note = el("p", { className: "error-text more-error" });
  button.addEventListener("click", async () => {
    const mine = generation;
    setBusy(button, true, "Loading more…");
    note.remove();
    try {
      const data = await api.queryPets(query, token);
      if (mine !== generation) return;
      const pets = Array.isArray(data.pets) ? data.pets : [];
      for (const pet of pets) grid.append(petCard(pet));
      token = data.next_token;
      setBusy(button, false);
      if (!token) {
        const hadFocus = document.activeElement === button;
        button.replaceWith(el("p", { className: "hint end-note", text: "That's every pet matching this question." }));
        if (hadFocus) $("chat-input").focus();
      }
    } catch (err) {
      if (mine !== generation) return;
      setBusy(button, false);
      if (err instanceof SessionExpired) return logOut(err.message);
      note.textContent = err.message;
      button.after(note);
    }
  });
  return button;
}

async function ask(text) {
  const query = text.trim();
  if (!query) return;
  userMessage(query);
  const user = session.user;
  if (user.isStaff && isAddIntent(query)) {
    openAddFromSentence(query);
    return;
  }
  const node = thinkingMessage();
  node.scrollIntoView({ block: "nearest" });
  await runQuery(query, node);
}

async function runQuery(query, node) {
  const mine = generation;
  try {
    const data = await api.queryPets(query);
    if (mine !== generation) return;
    renderAnswer(node, query, data);
  } catch (err) {
    if (mine !== generation) return;
    const worthRetrying = err instanceof ApiError && (err.status === 0 || err.status >= 500);
    handleFailure(err, node, worthRetrying && (() => {
      node.classList.remove("msg-error");
      node.classList.add("msg-thinking");
      node.setAttribute("aria-busy", "true");
      node.querySelector(".bubble").replaceChildren(
        el("p", { className: "thinking" }, [el("span", { text: "Looking for pets" })]),
      );
      runQuery(query, node);
    }));
  }
  if (mine === generation) node.scrollIntoView({ block: "start", behavior: "smooth" });
}

function onChatSubmit(event) {
  event.preventDefault();
  const input = $("chat-input");
  const text = input.value;
  if (!text.trim()) return;
  input.value = "";
  ask(text);
}

/* ---------- adding a pet (staff) ---------- */

function fieldInput(field) {
  return $(`pet-${field}`);
}

function setFieldError(field, message) {
  const input = fieldInput(field);
  $(`pet-${field}-error`).textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function resetAddForm() {
  $("add-form").reset();
  $("add-error").textContent = "";
  for (const field of PET_FIELDS) setFieldError(field, "");
  $("add-note").textContent = "Every field is needed. Nothing is saved until you press “Add pet”.";
}

function openAddForm(values = null, note = "") {
  resetAddForm();
  if (values) for (const field of PET_FIELDS) fieldInput(field).value = values[field] ?? "";
  if (note) $("add-note").textContent = note;
  const dialog = $("add-dialog");
  if (!dialog.open) dialog.showModal();
  const firstEmpty = PET_FIELDS.find((field) => !fieldInput(field).value.trim());
  if (firstEmpty) fieldInput(firstEmpty).focus();
  else $("add-submit").focus();
}

function openAddFromSentence(sentence) {
  const values = parseAddPet(sentence);
  const missing = PET_FIELDS.filter((field) => !values[field]);
  const reply = missing.length
    ? `I filled in the “Add a pet” form from your message. Please add the ${missing.join(", ")} and press “Add pet”; nothing is saved before that.`
    : "I filled in the “Add a pet” form from your message. Check it and press “Add pet”; nothing is saved before that.";
  botMessage(el("p", { text: reply }));
  openAddForm(values, "Filled in from your message. Check every field, then press “Add pet” to save it.");
}

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
    else if (!/^\d*\.?\d+$/.test(text) && !/^-\d*\.?\d+$/.test(text)) errors[field] = `${label} must be a number.`;
    else if (value < 0) errors[field] = `${label} can't be below 0.`;
    numbers[field] = value;
  }
  const pet = {
    name: raw.name,
    type: raw.type.toLowerCase(),
    breed: raw.breed,
    age: numbers.age,
    price: numbers.price,
  };
  return { pet, errors };
}

function fieldNamedIn(message) {
  let best = null;
  for (const field of PET_FIELDS) {
    const match = new RegExp(`\\b${field}\\b`, "i").exec(message);
    if (match && (best === null || match.index < best.index)) best = { field, index: match.index };
  }
  return best?.field ?? null;
}

async function onAddSubmit(event) {
  event.preventDefault();
  $("add-error").textContent = "";
  for (const field of PET_FIELDS) setFieldError(field, "");
  const { pet, errors } = readPetForm();
  const bad = PET_FIELDS.filter((field) => errors[field]);
  if (bad.length) {
    for (const field of bad) setFieldError(field, errors[field]);
    fieldInput(bad[0]).focus();
    return;
  }
  const button = $("add-submit");
  const mine = generation;
  setBusy(button, true, "Adding…");
  try {
    const created = await api.addPet(pet);
    if (mine !== generation) return;
    $("add-dialog").close();
    resetAddForm();
    const node = botMessage(
      el("p", { className: "summary", text: `Added ${created.name ?? pet.name} to the store.` }),
      petGrid([created]),
    );
    node.classList.add("msg-added");
    node.scrollIntoView({ block: "nearest" });
    $("chat-input").focus();
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof SessionExpired) return logOut(err.message);
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
  } finally {
    setBusy(button, false);
  }
}

function closeAddForm() {
  $("add-dialog").close();
  $("chat-input").focus();
}

/* ---------- start ---------- */

async function resumeSession() {
  if (!session.needsRefresh()) return true;
  try {
    await api.refresh();
    return true;
  } catch (err) {
    // A dead refresh token ends the session; an unreachable Cognito keeps it for the next try.
    if (err instanceof SessionExpired) session.clear();
    showLogin(err.message);
    return false;
  }
}

async function main() {
  $("login-form").addEventListener("submit", onLogin);
  $("newpw-form").addEventListener("submit", onNewPassword);
  $("newpw-cancel").addEventListener("click", () => showLogin());
  $("chat-form").addEventListener("submit", onChatSubmit);
  $("logout").addEventListener("click", () => logOut("You are signed out."));
  $("open-add").addEventListener("click", () => openAddForm());
  $("add-form").addEventListener("submit", onAddSubmit);
  $("add-cancel").addEventListener("click", closeAddForm);
  for (const field of PET_FIELDS) fieldInput(field).addEventListener("input", () => setFieldError(field, ""));
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    showConfigError(err.message);
    return;
  }
  cognito = new CognitoClient({ endpoint: config.cognitoEndpoint, clientId: config.clientId });
  api = new ApiClient({ baseUrl: config.apiBaseUrl, cognito });
  if (session.active && (await resumeSession())) startChat();
  else if (!session.active) showLogin();
}

main();
