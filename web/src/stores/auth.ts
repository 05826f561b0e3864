"use client";

import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import type { Me } from "@/api/types";

interface AuthState {
  access: string | null;
  refresh: string | null;
  user: Me | null;
  /** True once the persisted state has been read from localStorage (client only). */
  hydrated: boolean;
  setSession: (session: { access: string; refresh: string; user?: Me }) => void;
  setUser: (user: Me) => void;
  logout: () => void;
}

export const useAuth = create<AuthState>()(
  persist(
    (set) => ({
      access: null,
      refresh: null,
      user: null,
      hydrated: false,
      setSession: ({ access, refresh, user }) =>
        set((s) => ({ access, refresh, user: user ?? s.user })),
      setUser: (user) => set({ user }),
      logout: () => set({ access: null, refresh: null, user: null }),
    }),
    {
      name: "tangerine-auth",
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
