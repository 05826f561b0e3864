"use client";

import { HydrationBoundary, useQueryClient, type DehydratedState } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useAuth } from "@/stores/auth";

const Settling = createContext(false);

/**
 * True while the page shows the visitor's copy the server rendered and the member's own flags
 * (liked, saved, following) are still being read: buttons that act on those flags wait, so a tap
 * never likes what is already liked or follows whom one already follows.
 */
export function useSettling(): boolean {
  return useContext(Settling);
}

/**
 * Puts what the server page read (lib/server/seeds.ts) into the query cache before its client
 * components render, so the server's HTML and the first client render agree and nothing is
 * fetched again.
 *
 * The server reads as a visitor. A signed-in member gets the same first paint, then the seeded
 * queries are refetched in the background with the session (liked, saved, following flags). Once
 * the session is known, a client-side navigation does not seed visitor data over the member's
 * cache: the hooks fetch with the session, as before.
 */
export function ServerData({ state, children }: { state: DehydratedState; children: ReactNode }) {
  const qc = useQueryClient();
  const hydrated = useAuth((s) => s.hydrated);
  const signedIn = useAuth((s) => !!s.user);
  // Decided once, at the first render (the session is read from storage after it).
  const [seed] = useState(() => !(hydrated && signedIn));
  const [refetched, setRefetched] = useState(false);
  useEffect(() => {
    if (!seed || !hydrated || !signedIn) return;
    let live = true;
    const refetches = state.queries.map((query) =>
      qc.invalidateQueries({ queryKey: query.queryKey, exact: true }),
    );
    void Promise.allSettled(refetches).then(() => live && setRefetched(true));
    return () => {
      live = false;
    };
  }, [seed, hydrated, signedIn, qc, state]);
  const settling = seed && (!hydrated || (signedIn && !refetched));
  return (
    <Settling.Provider value={settling}>
      <HydrationBoundary state={seed ? state : undefined}>{children}</HydrationBoundary>
    </Settling.Provider>
  );
}
