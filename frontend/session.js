// The session's state, as one object: made once by app.js and handed to every screen.

import { AuthError, CognitoClient, REFRESH_MARGIN_MS, TokenStore } from "./auth.js";
import { ApiClient, SessionExpired } from "./api.js";
import { Conversation } from "./conversation.js";
import { Transcript } from "./transcript.js";

const MIN_REFRESH_WAIT_MS = 5000;
const REFRESH_RETRY_MS = 30000;

export class Session {
  constructor(config, storage = window.sessionStorage) {
    this.tokens = new TokenStore(storage);
    this.cognito = new CognitoClient({ endpoint: config.cognitoEndpoint, clientId: config.clientId });
    this.api = new ApiClient({ baseUrl: config.apiBaseUrl, cognito: this.cognito, tokens: this.tokens });
    this.transcript = new Transcript(storage);
    this.conversation = new Conversation(this.transcript);
    // Bumped when the session ends, so answers to an old session's requests are dropped.
    this.generation = 0;
    // A sign-in step in progress (a new password, an authenticator app's code): { username, session }.
    this.challenge = null;
    this.refreshTimer = null;
  }

  get active() {
    return this.tokens.active;
  }

  get user() {
    return this.tokens.user;
  }

  /** A mark to check with isCurrent() when an answer comes back. */
  mark() {
    return this.generation;
  }

  isCurrent(mark) {
    return mark === this.generation;
  }

  /** Stores a sign-in's tokens; `twoStep` when it took an authenticator app's code. */
  begin(result, username, { twoStep = false } = {}) {
    this.tokens.store(result, username);
    this.tokens.twoStep = twoStep;
    this.challenge = null;
  }

  /**
   * Runs `call(accessToken)` at Cognito as the signed-in person: the tokens are refreshed first when
   * due, and once more when Cognito refuses the access token (then SessionExpired if it still does).
   */
  async asUser(call) {
    const refused = (err) => err instanceof AuthError && err.code === "NotAuthorizedException";
    if (this.tokens.needsRefresh()) await this.api.refresh();
    try {
      return await call(this.tokens.accessToken);
    } catch (err) {
      if (!refused(err)) throw err;
    }
    await this.api.refresh();
    try {
      return await call(this.tokens.accessToken);
    } catch (err) {
      throw refused(err) ? new SessionExpired() : err;
    }
  }

  /**
   * Ends the session on the page. With `revoke`, first asks Cognito to end the refresh token too;
   * that call is not awaited, and its failure (an unreachable Cognito, an emulator that does not
   * know RevokeToken) changes nothing here: the person is signed out either way.
   */
  end({ revoke = false } = {}) {
    const refreshToken = this.tokens.refreshToken;
    if (revoke && refreshToken) this.cognito.revoke(refreshToken).catch(() => {});
    this.generation += 1;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.tokens.clear();
    this.challenge = null;
    this.transcript.forget();
    this.conversation.reset();
  }

  /** Refreshes the ID token shortly before it expires; `onExpired(message)` when that is no longer possible. */
  scheduleRefresh(onExpired) {
    clearTimeout(this.refreshTimer);
    const wait = Math.max(this.tokens.expiresAt - Date.now() - REFRESH_MARGIN_MS, MIN_REFRESH_WAIT_MS);
    const mine = this.mark();
    this.refreshTimer = setTimeout(async () => {
      if (!this.isCurrent(mine) || !this.active) return;
      try {
        await this.api.refresh();
        if (this.isCurrent(mine)) this.scheduleRefresh(onExpired);
      } catch (err) {
        if (!this.isCurrent(mine)) return;
        if (err instanceof SessionExpired) onExpired(err.message);
        else this.refreshTimer = setTimeout(() => this.scheduleRefresh(onExpired), REFRESH_RETRY_MS);
      }
    }, Math.min(wait, 2 ** 31 - 1));
  }
}
