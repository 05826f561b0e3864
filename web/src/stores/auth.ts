"use client";

import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import type { Me } from "@/api/types";

/** The localStorage key of the persisted session (read directly by `api/session.ts`). */
export const AUTH_STORAGE_KEY = "tangerine-auth";

interface AuthState {
  access: string | null;
  refresh: string | null;
  user: Me | null;
  /** True once the persisted state has been read from localStorage (client only). */
  hydrated: boolean;
  /** The session ended because the API refused to refresh it (not persisted). */
  expired: boolean;
  setSession: (session: { access: string; refresh: string; user?: Me }) => void;
  setUser: (user: Me) => void;
  logout: () => void;
  /** Forget the session because it cannot be refreshed: the shell sends the user to log in. */
  expire: () => void;
}

export const useAuth = create<AuthState>()(
  persist(
    (set) => ({
      access: null,
      refresh: null,
      user: null,
      hydrated: false,
      expired: false,
      setSession: ({ access, refresh, user }) =>
        set((s) => ({ access, refresh, user: user ?? s.user, expired: false })),
      setUser: (user) => set({ user }),
      logout: () => set({ access: null, refresh: null, user: null, expired: false }),
      expire: () => set({ access: null, refresh: null, user: null, expired: true }),
    }),
    {
      name: AUTH_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ access: s.access, refresh: s.refresh, user: s.user }),
      // Read localStorage after the first client render so server and client markup agree.
      skipHydration: true,
      onRehydrateStorage: () => () => {
        useAuth.setState({ hydrated: true });
      },
    },
  ),
);

export function useIsLoggedIn(): boolean {
  return useAuth((s) => s.access !== null && s.user !== null);
}
