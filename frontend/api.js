// Calls to the pet store API: the ID token on every request, refreshed shortly before it
// expires and once more when the API answers 401.

import { AuthError } from "./auth.js";

export const PAGE_SIZE = 12;
// Said for every 429, whatever sent it (API Gateway's throttling, the WAF) and whatever its body.
export const TOO_MANY_REQUESTS = "Too many requests, try again in a moment.";

/** An API answer that was not a success, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  /** True when the same request may work later: no answer, too many requests, a server fault. */
  get worthRetrying() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** A fresh Idempotency-Key for an add: a random UUID (random hex where the page is not served securely). */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The refresh token no longer works: the person has to sign in again. */
export class SessionExpired extends Error {
  constructor() {
    super("Your session has ended. Please sign in again.");
    this.name = "SessionExpired";
  }
}

export class ApiClient {
  constructor({ baseUrl, cognito, tokens }) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
    this.cognito = cognito;
    this.tokens = tokens;
    this.refreshing = null;
  }

  /** One refresh at a time: concurrent callers share the same promise. */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async doRefresh() {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) throw new SessionExpired();
    try {
      const data = await this.cognito.refresh(refreshToken);
      if (!data.AuthenticationResult?.IdToken) throw new SessionExpired();
      this.tokens.store(data.AuthenticationResult);
    } catch (error) {
      if (error instanceof AuthError && error.code === "NetworkError") throw error;
      throw new SessionExpired();
    }
  }

  async send(method, path, body, headers) {
    let response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: { ...headers, Authorization: this.tokens.idToken || "", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "network_error", "Can't reach the pet store. Check your connection and try again.");
    }
    return response;
  }

  async request(method, path, body, headers = {}) {
    if (this.tokens.needsRefresh()) await this.refresh();
    let response = await this.send(method, path, body, headers);
    if (response.status === 401) {
      await this.refresh();
      response = await this.send(method, path, body, headers);
      if (response.status === 401) throw new SessionExpired();
    }
    if (response.status === 429) throw new ApiError(429, "too_many_requests", TOO_MANY_REQUESTS);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok && data !== null) return data;
    if (response.ok) throw new ApiError(response.status, "bad_response", "The pet store sent an answer the page can't read.");
    const message = data && typeof data.message === "string" && data.message
      ? data.message
      : `The pet store answered with an error (HTTP ${response.status}). Try again in a moment.`;
    throw new ApiError(response.status, data?.error || `http_${response.status}`, message);
  }

  /** Asks a question; `context` (the filters of the answer it follows up on) and `nextToken` are optional. */
  queryPets(query, { context = null, nextToken = null } = {}) {
    const body = { query, limit: PAGE_SIZE };
    if (nextToken) body.next_token = nextToken;
    if (context) body.context = context;
    return this.request("POST", "pets/query", body);
  }

  /** Adds a pet; the same `idempotencyKey` sent again for the same pet stores it once. */
  addPet(pet, idempotencyKey) {
    return this.request("POST", "pets", pet, { "Idempotency-Key": idempotencyKey });
  }
}
