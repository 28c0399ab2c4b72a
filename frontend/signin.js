// The sign-in screen: username and password, then a new password when Cognito asks for one.

import { AuthError } from "./auth.js";
import { $, setBusy } from "./dom.js";

/**
 * Wires the sign-in forms to `session`; `onSignedIn()` runs once the tokens are stored.
 * Returns `show(notice)`, which brings the screen up with an optional notice ("You are signed out.").
 */
export function createSignIn(session, { showScreen, onSignedIn }) {
  const loginForm = $("login-form");
  const newPasswordForm = $("newpw-form");

  function show(notice = "") {
    loginForm.hidden = false;
    newPasswordForm.hidden = true;
    $("login-error").textContent = "";
    $("login-notice").textContent = notice;
    showScreen("login");
    $("username").focus();
  }

  function signedIn(result, username) {
    session.begin(result, username);
    loginForm.reset();
    newPasswordForm.reset();
    onSignedIn();
  }

  function askForNewPassword(data, username) {
    session.challenge = {
      username: data.ChallengeParameters?.USER_ID_FOR_SRP || username,
      session: data.Session,
    };
    loginForm.hidden = true;
    newPasswordForm.hidden = false;
    $("newpw-error").textContent = "";
    $("newpw-username").value = session.challenge.username;
    $("new-password").focus();
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
      const data = await session.cognito.signIn(username, password);
      if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
        askForNewPassword(data, username);
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
    const { username, session: challengeSession } = session.challenge ?? {};
    if (!username) {
      show("That sign-in took too long. Please sign in again.");
      return;
    }
    const button = $("newpw-submit");
    setBusy(button, true, "Saving…");
    try {
      const data = await session.cognito.setNewPassword(username, first, challengeSession);
      if (!data.AuthenticationResult) {
        error.textContent = "The sign-in service asked for another step the page does not support.";
        return;
      }
      signedIn(data.AuthenticationResult, username);
    } catch (err) {
      if (err instanceof AuthError && err.code === "InvalidPasswordException") {
        error.textContent = `That password is not accepted: ${err.message}`;
      } else if (err instanceof AuthError && err.code === "NotAuthorizedException") {
        show("That sign-in took too long. Please sign in again.");
      } else {
        error.textContent = err.message || "Setting the password failed. Try again.";
      }
    } finally {
      setBusy(button, false);
    }
  }

  loginForm.addEventListener("submit", onLogin);
  newPasswordForm.addEventListener("submit", onNewPassword);
  $("newpw-cancel").addEventListener("click", () => {
    session.challenge = null;
    show();
  });
  return { show };
}
