// Signing in with Cognito over fetch (InitiateAuth, RespondToAuthChallenge, RevokeToken, and the
// authenticator-app calls of two-step sign-in) and keeping the tokens in sessionStorage, the one
// place they live.

const KEYS = {
  idToken: "petstore.idToken",
  accessToken: "petstore.accessToken",
  refreshToken: "petstore.refreshToken",
  expiresAt: "petstore.expiresAt",
  username: "petstore.username",
  twoStep: "petstore.twoStep",
};
// What an authenticator app paired with this page is called in the person's Cognito account.
const DEVICE_NAME = "Pet Store page";

// Refresh this long before the ID token runs out, so no request goes out with a dying token.
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

/** A sign-in problem worded for the person at the keyboard; `code` is Cognito's exception name. */
export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "AuthError";
    this.code = code;
  }
}

const FRIENDLY = {
  NotAuthorizedException: "Wrong username or password.",
  UserNotFoundException: "There is no account with that username.",
  UserNotConfirmedException: "This account is not confirmed yet. Ask the store to confirm it.",
  PasswordResetRequiredException: "This account needs a password reset. Ask the store to reset it.",
  TooManyRequestsException: "Too many attempts. Wait a moment and try again.",
  LimitExceededException: "Too many attempts. Wait a moment and try again.",
  TooManyFailedAttemptsException: "Too many failed attempts. Wait a moment and try again.",
  ResourceNotFoundException: "The sign-in service does not know this app. Check the page's settings.",
};

/** Decodes the payload of a JWT (base64url JSON). Returns null for anything that is not one. */
export function decodeJwt(token) {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === "object" ? payload : null;
  } catch {
    return null;
  }
}

export class CognitoClient {
  constructor({ endpoint, clientId }) {
    this.endpoint = endpoint;
    this.clientId = clientId;
  }

  async call(action, body, { keepalive = false } = {}) {
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
          "Content-Type": "application/x-amz-json-1.1",
        },
        body: JSON.stringify(body),
        keepalive,
      });
    } catch {
      throw new AuthError("NetworkError", "Can't reach the sign-in service. Check your connection and try again.");
    }
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {};
    }
    if (response.ok) return data;
    const rawType = data.__type || response.headers.get("x-amzn-errortype") || "";
    const code = rawType.split("#").pop().split(":")[0] || `HTTP${response.status}`;
    const message = FRIENDLY[code] || data.message || data.Message ||
      (response.status >= 500
        ? "Can't reach the sign-in service right now. Try again in a moment."
        : "Signing in failed.");
    throw new AuthError(code, message);
  }

  signIn(username, password) {
    return this.call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
  }

  setNewPassword(username, newPassword, session) {
    return this.call("RespondToAuthChallenge", {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: this.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    });
  }

  /** Answers the SOFTWARE_TOKEN_MFA challenge with the code of the person's authenticator app. */
  answerCode(username, code, session) {
    return this.call("RespondToAuthChallenge", {
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      ClientId: this.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    });
  }

  /** A new authenticator-app key for the signed-in person (`SecretCode`). */
  associateSoftwareToken(accessToken) {
    return this.call("AssociateSoftwareToken", { AccessToken: accessToken });
  }

  /** Checks a code of the app that holds the new key; `Status` is "SUCCESS" when it matched. */
  verifySoftwareToken(accessToken, code) {
    return this.call("VerifySoftwareToken", {
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: DEVICE_NAME,
    });
  }

  /** Turns two-step sign-in with the app on, and makes it the way the person is asked. */
  preferSoftwareToken(accessToken) {
    return this.call("SetUserMFAPreference", {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  }

  refresh(refreshToken) {
    return this.call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
  }

  /** Ends a refresh token (and the tokens it made) at Cognito. Keeps going if the page is closed. */
  revoke(refreshToken) {
    return this.call("RevokeToken", { Token: refreshToken, ClientId: this.clientId }, { keepalive: true });
  }
}

/** The tokens, kept in a Storage (sessionStorage): read on every access, the single source of truth. */
export class TokenStore {
  constructor(storage) {
    this.storage = storage;
  }

  get idToken() {
    return this.storage.getItem(KEYS.idToken);
  }

  get accessToken() {
    return this.storage.getItem(KEYS.accessToken);
  }

  get refreshToken() {
    return this.storage.getItem(KEYS.refreshToken);
  }

  /** True when this sign-in took an authenticator app's code, or the person has just set one up. */
  get twoStep() {
    return this.storage.getItem(KEYS.twoStep) === "on";
  }

  set twoStep(on) {
    if (on) this.storage.setItem(KEYS.twoStep, "on");
    else this.storage.removeItem(KEYS.twoStep);
  }

  get expiresAt() {
    return Number(this.storage.getItem(KEYS.expiresAt)) || 0;
  }

  get username() {
    return this.storage.getItem(KEYS.username) || "";
  }

  get active() {
    return Boolean(this.idToken && this.refreshToken);
  }

  /** True when the ID or access token is missing, the ID token unreadable, or they are about to run out. */
  needsRefresh(now = Date.now()) {
    return !decodeJwt(this.idToken) || !this.accessToken || this.expiresAt - now < REFRESH_MARGIN_MS;
  }

  /** Stores an AuthenticationResult; a refresh answer has no RefreshToken, so the old one stays. */
  store(result, username) {
    const claims = decodeJwt(result.IdToken) || {};
    let expiresAt = Date.now() + (Number(result.ExpiresIn) || 3600) * 1000;
    if (Number.isFinite(claims.exp)) expiresAt = Math.min(expiresAt, claims.exp * 1000);
    this.storage.setItem(KEYS.idToken, result.IdToken);
    if (result.AccessToken) this.storage.setItem(KEYS.accessToken, result.AccessToken);
    if (result.RefreshToken) this.storage.setItem(KEYS.refreshToken, result.RefreshToken);
    this.storage.setItem(KEYS.expiresAt, String(expiresAt));
    const name = claims["cognito:username"] || username || this.username;
    if (name) this.storage.setItem(KEYS.username, name);
  }

  /** Who is signed in and whether the token says staff. Display only: the API enforces it. */
  get user() {
    const claims = decodeJwt(this.idToken) || {};
    let groups = claims["cognito:groups"] || [];
    if (typeof groups === "string") groups = groups.split(/[\s,]+/);
    return {
      username: claims["cognito:username"] || this.username,
      isStaff: Array.isArray(groups) && groups.includes("staff"),
    };
  }

  clear() {
    this.storage.clear();
  }
}
