"use client";

import createClient from "openapi-fetch";
import type { paths } from "@/api/schema";
import type { Me } from "@/api/types";
import { AUTH_STORAGE_KEY, useAuth } from "@/stores/auth";

/**
 * Refreshing the session, once for all tabs.
 *
 * Refresh tokens rotate (the old one is revoked), and every tab of a session shares them through
 * localStorage. Two refreshes with the same refresh token therefore cost the session: the second
 * is refused and the user is logged out. So a refresh runs
 * - once per tab (parallel 401s wait for the same promise), and
 * - under a Web Lock (`navigator.locks`) shared by every tab of the origin; inside the lock the
 *   newest stored pair is read again, and if another tab has rotated it meanwhile (the stored
 *   access token is not the one our request was refused with) that pair is adopted instead of
 *   refreshing a second time.
 *
 * A refresh that the API refuses (400/401/403: revoked, expired, user gone) ends the session with
 * `expire()`: the shell then sends the user to the login page with a "session expired" message.
 * A network error or a 5xx keeps the session (only this request fails).
 */

const LOCK_NAME = "tangerine-token-refresh";

// Bare client: the refresh call must not go through the refreshing middleware.
const bare = createClient<paths>({ baseUrl: "" });

interface StoredSession {
  access: string | null;
  refresh: string | null;
  user: Me | null;
}

/** The pair as stored right now by any tab (null when storage cannot be read). */
function readStored(): StoredSession | null {
  try {
    const raw = window.localStorage.getItem(AUTH_STORAGE_KEY);
    if (!raw) return { access: null, refresh: null, user: null };
    const state = (JSON.parse(raw) as { state?: Partial<StoredSession> }).state ?? {};
    return { access: state.access ?? null, refresh: state.refresh ?? null, user: state.user ?? null };
  } catch {
    return null;
  }
}

async function refreshLocked(sent: string | null): Promise<string | null> {
  const mine = useAuth.getState();
  const stored = readStored() ?? { access: mine.access, refresh: mine.refresh, user: mine.user };
  if (!stored.refresh) {
    // Logged out in another tab (or never logged in): nothing to refresh with.
    if (mine.access) useAuth.getState().logout();
    return null;
  }
  if (stored.access && stored.access !== sent) {
    // Another tab (or an earlier request of this one) rotated the pair while we waited.
    useAuth.setState({ access: stored.access, refresh: stored.refresh, user: stored.user ?? mine.user });
    return stored.access;
  }
  let result;
  try {
    result = await bare.POST("/api/accounts/token/refresh/", { body: { refresh: stored.refresh } });
  } catch {
    return null; // offline: keep the session, this request fails
  }
  if (result.data) {
    useAuth.getState().setSession({ access: result.data.access, refresh: result.data.refresh });
    return result.data.access;
  }
  if ([400, 401, 403].includes(result.response.status)) useAuth.getState().expire();
  return null;
}

let inFlight: Promise<string | null> | null = null;

/**
 * A fresh access token after a request was refused with `sent`, or null when the session cannot
 * be refreshed. Single flight within the tab and, through the Web Lock, across tabs.
 */
export function refreshSession(sent: string | null): Promise<string | null> {
  const current = useAuth.getState().access;
  if (current && current !== sent) return Promise.resolve(current);
  if (!inFlight) {
    const run = () => refreshLocked(sent);
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    // Web Locks exist in secure contexts (https, localhost, 127.0.0.1); elsewhere the stored pair is
    // still re-read, which covers tabs that refresh one after the other.
    const job = (async () =>
      locks ? await locks.request(LOCK_NAME, { mode: "exclusive" }, run) : run())();
    inFlight = job.finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}
