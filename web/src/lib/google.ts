/**
 * Google sign-in from the browser: the authorization-code flow with PKCE (RFC 7636).
 *
 * The verifier and the state stay in sessionStorage of this tab only; the callback page
 * (`/login/google`) checks the state, then sends the code with the verifier to our API, which
 * exchanges it with Google. No token of Google's ever reaches the web app.
 */

const STORAGE_KEY = "tangerine-google-signin";

export interface GoogleConfig {
  enabled: boolean;
  client_id: string;
  authorization_url: string;
  scope: string;
}

interface Pending {
  state: string;
  verifier: string;
  next: string;
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomToken(size: number): string {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

export function googleRedirectUri(): string {
  return `${window.location.origin}/login/google`;
}

/** Leave for Google's sign-in page; `next` is where to land once signed in. */
export async function startGoogleSignIn(config: GoogleConfig, next: string): Promise<void> {
  const verifier = randomToken(48);
  const state = randomToken(16);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const pending: Pending = { state, verifier, next };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(pending));
  const url = new URL(config.authorization_url);
  url.search = new URLSearchParams({
    client_id: config.client_id,
    redirect_uri: googleRedirectUri(),
    response_type: "code",
    scope: config.scope,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
    state,
    prompt: "select_account",
  }).toString();
  window.location.assign(url.toString());
}

/** The pending sign-in of this tab if `state` is the one it sent (used once). */
export function takePendingSignIn(state: string | null): Pending | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  sessionStorage.removeItem(STORAGE_KEY);
  if (!raw || !state) return null;
  try {
    const pending = JSON.parse(raw) as Pending;
    return pending.state === state ? pending : null;
  } catch {
    return null;
  }
}
