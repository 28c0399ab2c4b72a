// The sign-in screen: username and password, then a new password or an authenticator app's code
// when Cognito asks for one.

import { AuthError } from "./auth.js";
import { $, setBusy } from "./dom.js";

const TOO_LONG = "That sign-in took too long. Please sign in again.";
// A step's challenge Session lasts minutes and is spent once; then Cognito answers
// NotAuthorizedException (the emulator, which keeps no spent sessions, ResourceNotFoundException),
// and the person starts again from the password.
const STEP_OVER = new Set(["NotAuthorizedException", "ResourceNotFoundException"]);
const CODE_ERRORS = {
  CodeMismatchException: "That code is not right. Type the code your app shows now.",
  ExpiredCodeException: "That code has been used already. Wait for the app's next code and type it.",
};

/**
 * Wires the sign-in forms to `session`; `onSignedIn()` runs once the tokens are stored.
 * Returns `show(notice)`, which brings the screen up with an optional notice ("You are signed out.").
 */
export function createSignIn(session, { showScreen, onSignedIn }) {
  const loginForm = $("login-form");
  const newPasswordForm = $("newpw-form");
  const codeForm = $("code-form");
  const forms = [loginForm, newPasswordForm, codeForm];

  function showForm(form) {
    for (const each of forms) each.hidden = each !== form;
  }

  function show(notice = "") {
    showForm(loginForm);
    $("login-error").textContent = "";
    $("login-notice").textContent = notice;
    showScreen("login");
    $("username").focus();
  }

  function signedIn(result, username, { twoStep = false } = {}) {
    session.begin(result, username, { twoStep });
    for (const form of forms) form.reset();
    onSignedIn();
  }

  /** Keeps Cognito's challenge (who, and its Session) for the step it asks for. */
  function holdChallenge(data, username) {
    $("password").value = "";
    session.challenge = {
      username: data.ChallengeParameters?.USER_ID_FOR_SRP || username,
      session: data.Session,
    };
  }

  function askForNewPassword(data, username) {
    holdChallenge(data, username);
    showForm(newPasswordForm);
    $("newpw-error").textContent = "";
    $("newpw-username").value = session.challenge.username;
    $("new-password").focus();
  }

  function askForCode(data, username) {
    holdChallenge(data, username);
    showForm(codeForm);
    $("code-error").textContent = "";
    $("code").value = "";
    $("code").focus();
  }

  /** Cognito's answer to a password or a step: the next step to take, or the tokens. */
  function next(data, username, { twoStep = false } = {}) {
    if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") return askForNewPassword(data, username);
    if (data.ChallengeName === "SOFTWARE_TOKEN_MFA") return askForCode(data, username);
    if (data.ChallengeName || !data.AuthenticationResult) {
      throw new AuthError(
        data.ChallengeName || "NoResult",
        `This account needs a sign-in step the page does not support (${data.ChallengeName || "none"}).`,
      );
    }
    return signedIn(data.AuthenticationResult, username, { twoStep });
  }

  /**
   * Answers the step under way with `send(username, challengeSession)`, pressing `button` meanwhile.
   * A step that is over goes back to the password; `onError(err)` says any other refusal.
   */
  async function answerStep(button, busyText, send, { twoStep = false, onError }) {
    const { username, session: challengeSession } = session.challenge ?? {};
    if (!username) return show(TOO_LONG);
    setBusy(button, true, busyText);
    try {
      next(await send(username, challengeSession), username, { twoStep });
    } catch (err) {
      if (err instanceof AuthError && STEP_OVER.has(err.code)) show(TOO_LONG);
      else onError(err);
    } finally {
      setBusy(button, false);
    }
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
      next(await session.cognito.signIn(username, password), username);
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
    await answerStep($("newpw-submit"), "Saving…", (username, challengeSession) =>
      session.cognito.setNewPassword(username, first, challengeSession), {
      onError: (err) => {
        error.textContent = err instanceof AuthError && err.code === "InvalidPasswordException"
          ? `That password is not accepted: ${err.message}`
          : err.message || "Setting the password failed. Try again.";
      },
    });
  }

  async function onCode(event) {
    event.preventDefault();
    const code = $("code").value.replace(/\s/g, "");
    const error = $("code-error");
    error.textContent = "";
    if (!/^\d{6}$/.test(code)) {
      error.textContent = "Enter the 6-digit code your authenticator app shows.";
      $("code").focus();
      return;
    }
    await answerStep($("code-submit"), "Checking…", (username, challengeSession) =>
      session.cognito.answerCode(username, code, challengeSession), {
      twoStep: true,
      onError: (err) => {
        error.textContent = CODE_ERRORS[err.code] || err.message || "Checking the code failed. Try again.";
        $("code").select();
      },
    });
  }

  loginForm.addEventListener("submit", onLogin);
  newPasswordForm.addEventListener("submit", onNewPassword);
  codeForm.addEventListener("submit", onCode);
  for (const id of ["newpw-cancel", "code-cancel"]) {
    $(id).addEventListener("click", () => {
      session.challenge = null;
      show();
    });
  }
  return { show };
}
