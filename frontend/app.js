// The chat page: loads config.json, makes the session, and wires the screens (sign-in, chat,
// add a pet, two-step sign-in) to it. Every text from people, pets, the API or the model goes on the page as text.

import { SessionExpired } from "./api.js";
import { createAddPet } from "./addpet.js";
import { createChat } from "./chat.js";
import { $ } from "./dom.js";
import { ChatLog } from "./log.js";
import { Session } from "./session.js";
import { createSignIn } from "./signin.js";
import { createTwoStep } from "./twostep.js";

const CONFIG_KEYS = ["apiBaseUrl", "region", "userPoolId", "clientId", "cognitoEndpoint"];

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

/** Shows one screen: "config" (the page can't start), "login" or "chat". */
function showScreen(which) {
  $("startup").hidden = true;
  $("config-error").hidden = which !== "config";
  $("login-view").hidden = which !== "login";
  $("chat-view").hidden = which !== "chat";
  $("composer").hidden = which !== "chat";
  $("account").hidden = which !== "chat";
}

function showConfigError(message) {
  $("config-error-text").textContent =
    `${message} Ask whoever runs this site to check its settings; locally, start everything with “make run”.`;
  showScreen("config");
}

function showAccount(user) {
  $("who-name").textContent = user ? user.username || "you" : "";
  $("who-role").textContent = user ? (user.isStaff ? "Staff" : "Shopper") : "";
  $("who-role").className = `role-badge ${user?.isStaff ? "role-staff" : "role-shopper"}`;
  $("open-add").hidden = !user?.isStaff;
}

function wire(session) {
  const log = new ChatLog();
  const screens = {};

  function logOut(notice = "", { revoke = false } = {}) {
    session.end({ revoke });
    screens.chat.reset();
    screens.addPet.reset();
    screens.twoStep.reset();
    showAccount(null);
    screens.signIn.show(notice);
  }
  const onExpired = (message) => logOut(message);

  function startChat() {
    showAccount(session.user);
    showScreen("chat");
    screens.chat.start();
    session.scheduleRefresh(onExpired);
  }

  screens.signIn = createSignIn(session, { showScreen, onSignedIn: startChat });
  screens.addPet = createAddPet(session, log, { onExpired });
  screens.twoStep = createTwoStep(session, { onExpired, onDone: () => screens.chat.twoStepIsOn() });
  screens.chat = createChat(session, log, {
    onAddSentence: screens.addPet.openFromSentence,
    onExpired,
    onTwoStep: () => screens.twoStep.open(),
  });
  $("logout").addEventListener("click", () => logOut("You are signed out.", { revoke: true }));
  $("open-add").addEventListener("click", () => screens.addPet.open());
  return { startChat, showLogin: screens.signIn.show };
}

/** Picks up a session from an earlier visit of this tab; false when it has to sign in again. */
async function resume(session, showLogin) {
  if (!session.tokens.needsRefresh()) return true;
  try {
    await session.api.refresh();
    return true;
  } catch (err) {
    // A dead refresh token ends the session; an unreachable Cognito keeps it for the next try.
    if (err instanceof SessionExpired) session.end();
    showLogin(err.message);
    return false;
  }
}

async function main() {
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    showConfigError(err.message);
    return;
  }
  const session = new Session(config);
  const { startChat, showLogin } = wire(session);
  if (!session.active) showLogin();
  else if (await resume(session, showLogin)) startChat();
}

main();
