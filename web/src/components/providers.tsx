"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { statusOf } from "@/api/client";
import { useLocale } from "@/i18n";
import { writeMemberCookie } from "@/lib/locale";
import { AUTH_STORAGE_KEY, useAuth } from "@/stores/auth";

/**
 * Retry a failed query once, unless the API answered with a 4xx: a missing or forbidden item stays
 * missing, so "not found" shows at once instead of after a second request and its back-off.
 * (401 is handled by the client's token refresh before TanStack Query sees it.)
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = statusOf(error);
  if (status >= 400 && status < 500) return false;
  return failureCount < 1;
}

/**
 * When the API refuses to refresh the session (`expire()` in api/session.ts), go to the login page
 * with a "session expired" message and come back here afterwards.
 */
function SessionExpiredRedirect() {
  const expired = useAuth((s) => s.expired);
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (!expired || pathname === "/login") return;
    router.replace(`/login?expired=1&next=${encodeURIComponent(pathname)}`);
  }, [expired, pathname, router]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 15_000, retry: shouldRetry, refetchOnWindowFocus: false },
        },
      }),
  );
  const locale = useLocale((s) => s.locale);
  const userId = useAuth((s) => s.user?.uuid ?? null);

  useEffect(() => {
    void useAuth.persist.rehydrate();
    void useLocale.persist.rehydrate();
    // Another tab logged in or out, or rotated the tokens: take its session (the `storage` event
    // fires only in the other tabs of the origin).
    const onStorage = (e: StorageEvent) => {
      if (e.key === AUTH_STORAGE_KEY) void useAuth.persist.rehydrate();
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
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
    // The server leaves the member's own pages (home feed, drafts) to the browser (lib/locale.ts).
    writeMemberCookie(userId !== null);
    if (previousUser.current !== undefined && previousUser.current !== userId) {
      void queryClient.resetQueries();
    }
    previousUser.current = userId;
  }, [hydrated, userId, queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      <SessionExpiredRedirect />
      {children}
    </QueryClientProvider>
  );
}
