// "Set up two-step sign-in": pairs an authenticator app with the signed-in person's account
// (Cognito's AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference), after which
// signing in asks for the app's code as well as the password. Offered to staff; anyone may use it.

import { SessionExpired } from "./api.js";
import { AuthError } from "./auth.js";
import { $, setBusy } from "./dom.js";

const ISSUER = "Pet Store";
// A code the app made for another key, or too late: Cognito says one or the other.
const WRONG_CODE = new Set(["CodeMismatchException", "EnableSoftwareTokenMFAException"]);

/** The otpauth:// address authenticator apps read: who issued the key, whose account, and the key. */
export function otpauthUrl(secret, username) {
  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(username)}`;
  const query = `secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(ISSUER)}`;
  return `otpauth://totp/${label}?${query}`;
}

/** The key in groups of four, as people copy it by hand: "ABCD EFGH IJKL". */
function grouped(secret) {
  return (secret.match(/.{1,4}/g) ?? []).join(" ");
}

/**
 * Wires the dialog to `session`. `onExpired(message)` ends the session; `onDone()` runs once two-step
 * sign-in is on. Returns `open()` and `reset()`.
 */
export function createTwoStep(session, { onExpired, onDone }) {
  const dialog = $("twostep-dialog");
  const submit = $("twostep-submit");
  const codeInput = $("twostep-code");
  // The key of the setup under way: it comes from Cognito when the dialog opens.
  let secret = "";

  function say(error) {
    $("twostep-error").textContent = error;
    if (error) codeInput.setAttribute("aria-invalid", "true");
    else codeInput.removeAttribute("aria-invalid");
  }

  function showKey(key) {
    secret = key;
    $("twostep-key").textContent = key ? grouped(key) : "Getting a key…";
    $("twostep-link").href = key ? otpauthUrl(key, session.user.username || "") : "#twostep-key";
    codeInput.disabled = !key;
    submit.textContent = "Turn on";
  }

  function failed(err, fallback) {
    if (err instanceof SessionExpired) {
      reset();
      onExpired(err.message);
      return;
    }
    say(err instanceof AuthError && WRONG_CODE.has(err.code)
      ? "That code is not right. Check that the app shows the Pet Store key and type its code now."
      : err.message || fallback);
  }

  async function fetchKey() {
    const mine = session.mark();
    showKey("");
    setBusy(submit, true, "Getting a key…");
    try {
      const data = await session.asUser((token) => session.cognito.associateSoftwareToken(token));
      if (!session.isCurrent(mine)) return;
      setBusy(submit, false);
      showKey(typeof data.SecretCode === "string" ? data.SecretCode : "");
      codeInput.focus();
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      setBusy(submit, false);
      submit.textContent = "Try again";
      failed(err, "Getting a key failed. Try again.");
    }
  }

  async function turnOn(code) {
    const mine = session.mark();
    setBusy(submit, true, "Turning on…");
    try {
      const checked = await session.asUser((token) => session.cognito.verifySoftwareToken(token, code));
      if (checked.Status && checked.Status !== "SUCCESS") throw new AuthError("CodeMismatchException", "");
      await session.asUser((token) => session.cognito.preferSoftwareToken(token));
      if (!session.isCurrent(mine)) return;
      session.tokens.twoStep = true;
      $("twostep-steps").hidden = true;
      submit.hidden = true;
      $("twostep-cancel").textContent = "Close";
      $("twostep-done").textContent =
        "Two-step sign-in is on. Next time you sign in, the page asks for a code from your app.";
      $("twostep-cancel").focus();
      onDone();
    } catch (err) {
      if (!session.isCurrent(mine)) return;
      failed(err, "Turning it on failed. Try again.");
      codeInput.select();
    } finally {
      setBusy(submit, false);
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    say("");
    if (!secret) {
      fetchKey();
      return;
    }
    const code = codeInput.value.replace(/\s/g, "");
    if (!/^\d{6}$/.test(code)) {
      say("Type the 6-digit code your authenticator app shows.");
      codeInput.focus();
      return;
    }
    turnOn(code);
  }

  function reset() {
    if (dialog.open) dialog.close();
    $("twostep-form").reset();
    say("");
    showKey("");
    $("twostep-steps").hidden = false;
    submit.hidden = false;
    $("twostep-cancel").textContent = "Cancel";
    $("twostep-done").textContent = "";
  }

  function open() {
    reset();
    dialog.showModal();
    fetchKey();
  }

  $("twostep-form").addEventListener("submit", onSubmit);
  $("twostep-cancel").addEventListener("click", () => {
    reset();
    $("chat-input").focus();
  });
  codeInput.addEventListener("input", () => say(""));
  return { open, reset };
}
