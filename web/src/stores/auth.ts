"use client";

import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import type { Me } from "@/api/types";

/** The localStorage key of the persisted session (read directly by `api/session.ts`). */
export const AUTH_STORAGE_KEY = "tangerine-auth";

/**
 * The session in the browser. The refresh token is never here: the API keeps it in an HttpOnly
 * cookie (requests to /api/accounts/ carry `X-Refresh-Cookie: 1`, see api/client.ts), so no
 * script can read it. What is stored is the short-lived access token (5 minutes) and the user, in
 * localStorage so that every tab shares them and follows logins, logouts and refreshes through
 * the `storage` event.
 */
interface AuthState {
  access: string | null;
  user: Me | null;
  /** True once the persisted state has been read from localStorage (client only). */
  hydrated: boolean;
  /** The session ended because the API refused to refresh it (not persisted). */
  expired: boolean;
  /** A new session or a refreshed access token (any `refresh` field of an answer is ignored). */
  setSession: (session: { access: string; user?: Me }) => void;
  setUser: (user: Me) => void;
  logout: () => void;
  /** Forget the session because it cannot be refreshed: the shell sends the user to log in. */
  expire: () => void;
}

interface Persisted {
  access: string | null;
  user: Me | null;
}

export const useAuth = create<AuthState>()(
  persist(
    (set) => ({
      access: null,
      user: null,
      hydrated: false,
      expired: false,
      setSession: ({ access, user }) => set((s) => ({ access, user: user ?? s.user, expired: false })),
      setUser: (user) => set({ user }),
      logout: () => set({ access: null, user: null, expired: false }),
      expire: () => set({ access: null, user: null, expired: true }),
    }),
    {
      name: AUTH_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (s): Persisted => ({ access: s.access, user: s.user }),
      // Version 0 stored the refresh token too: it is dropped from storage on the first load.
      // (Such a session has no cookie yet: it ends, with "session expired", at its next refresh.)
      version: 1,
      migrate: (stored) => {
        const old = (stored ?? {}) as Partial<Persisted>;
        return { access: old.access ?? null, user: old.user ?? null };
      },
      // Read localStorage after the first client render so server and client markup agree.
      skipHydration: true,
      onRehydrateStorage: () => (state) => {
        useAuth.setState({ hydrated: true });
        // A user without an access token (it was dropped, or never stored): the cookie may
        // still hold a session, so ask for a fresh access token once (api/session.ts).
        if (state?.user && !state.access) {
          void import("@/api/session").then(({ refreshSession }) => refreshSession(null));
        }
      },
    },
  ),
);

export function useIsLoggedIn(): boolean {
  return useAuth((s) => s.access !== null && s.user !== null);
}
