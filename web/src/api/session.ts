"use client";

import createClient from "openapi-fetch";
import type { paths } from "@/api/schema";
import type { Me } from "@/api/types";
import { AUTH_STORAGE_KEY, useAuth } from "@/stores/auth";

/**
 * Refreshing the session, once for all tabs.
 *
 * The refresh token is an HttpOnly cookie that the API sets and rotates (docs/accounts.md): this
 * code never sees it. A refresh is `POST /api/accounts/token/refresh/` with no body, the header
 * `X-Refresh-Cookie: 1` and the cookie; the answer is a new access token and a new cookie, and the
 * old refresh token is revoked. Every tab of the browser shares the one cookie, so two refreshes
 * at the same moment send the same refresh token: the server accepts one and refuses the other,
 * and the refused tab would end the session. So a refresh runs
 * - once per tab (parallel 401s wait for the same promise), and
 * - under a Web Lock (`navigator.locks`) shared by every tab of the origin; inside the lock the
 *   newest stored access token is read again, and if another tab has refreshed meanwhile (the
 *   stored access token is not the one our request was refused with) it is adopted instead of
 *   refreshing a second time.
 *
 * On start, a signed-in user without an access token is restored the same way (`stores/auth.ts`
 * calls `refreshSession(null)`).
 *
 * A refresh that the API refuses (400/401/403: revoked, expired, no cookie, user gone) ends the
 * session with `expire()`: the shell then sends the user to the login page with a "session
 * expired" message. A network error or a 5xx keeps the session (only this request fails).
 */

const LOCK_NAME = "tangerine-token-refresh";

// Bare client: the refresh call must not go through the refreshing middleware.
const bare = createClient<paths>({ baseUrl: "" });

interface StoredSession {
  access: string | null;
  user: Me | null;
}

/** The session as stored right now by any tab (null when storage cannot be read). */
function readStored(): StoredSession | null {
  try {
    const raw = window.localStorage.getItem(AUTH_STORAGE_KEY);
    if (!raw) return { access: null, user: null };
    const state = (JSON.parse(raw) as { state?: Partial<StoredSession> }).state ?? {};
    return { access: state.access ?? null, user: state.user ?? null };
  } catch {
    return null;
  }
}

async function refreshLocked(sent: string | null): Promise<string | null> {
  const mine = useAuth.getState();
  const stored = readStored() ?? { access: mine.access, user: mine.user };
  if (!stored.user) {
    // Logged out in another tab (or never logged in): nothing to refresh.
    if (mine.access || mine.user) useAuth.getState().logout();
    return null;
  }
  if (stored.access && stored.access !== sent) {
    // Another tab (or an earlier request of this one) refreshed while we waited.
    useAuth.setState({ access: stored.access, user: stored.user });
    return stored.access;
  }
  let result;
  try {
    result = await bare.POST("/api/accounts/token/refresh/", {
      params: { header: { "X-Refresh-Cookie": "1" } },
      body: {},
      credentials: "include",
    });
  } catch {
    return null; // offline: keep the session, this request fails
  }
  if (result.data) {
    useAuth.getState().setSession({ access: result.data.access });
    return result.data.access;
  }
  if ([400, 401, 403].includes(result.response.status)) useAuth.getState().expire();
  return null;
}

let inFlight: Promise<string | null> | null = null;

/**
 * A fresh access token after a request was refused with `sent` (null: there was none), or null
 * when the session cannot be refreshed. Single flight within the tab and, through the Web Lock,
 * across tabs.
 */
export function refreshSession(sent: string | null): Promise<string | null> {
  const current = useAuth.getState().access;
  if (current && current !== sent) return Promise.resolve(current);
  if (!inFlight) {
    const run = () => refreshLocked(sent);
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    // Web Locks exist in secure contexts (https, localhost, 127.0.0.1); elsewhere the stored
    // access token is still re-read, which covers tabs that refresh one after the other.
    const job = (async () =>
      locks ? await locks.request(LOCK_NAME, { mode: "exclusive" }, run) : run())();
    inFlight = job.finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}
