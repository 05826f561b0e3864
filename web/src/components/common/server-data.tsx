"use client";

import { HydrationBoundary, useQueryClient, type DehydratedState } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { useAuth } from "@/stores/auth";

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
  useEffect(() => {
    if (!seed || !hydrated || !signedIn) return;
    for (const query of state.queries) {
      void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }, [seed, hydrated, signedIn, qc, state]);
  return <HydrationBoundary state={seed ? state : undefined}>{children}</HydrationBoundary>;
}
