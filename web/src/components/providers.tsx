"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useLocale } from "@/i18n";
import { useAuth } from "@/stores/auth";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: false },
        },
      }),
  );
  const locale = useLocale((s) => s.locale);
  const userId = useAuth((s) => s.user?.uuid ?? null);

  useEffect(() => {
    void useAuth.persist.rehydrate();
    void useLocale.persist.rehydrate();
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  // Cached pages were fetched as someone else (is_following, liked, drafts): start over when
  // the user changes (log in, log out, refresh failure), but not on the first hydration.
  const previousUser = useRef<string | null | undefined>(undefined);
  const hydrated = useAuth((s) => s.hydrated);
  useEffect(() => {
    if (!hydrated) return;
    if (previousUser.current !== undefined && previousUser.current !== userId) {
      void queryClient.resetQueries();
    }
    previousUser.current = userId;
  }, [hydrated, userId, queryClient]);

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
