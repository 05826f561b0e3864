"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { useAuth } from "@/stores/auth";

/** Sends visitors to the login page (and back here afterwards). Returns the user or null. */
export function useRequireAuth() {
  const user = useAuth((s) => s.user);
  const hydrated = useAuth((s) => s.hydrated);
  const expired = useAuth((s) => s.expired);
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (!hydrated || user) return;
    // A session that could not be refreshed says so on the login page (SessionExpiredRedirect).
    router.replace(`/login?${expired ? "expired=1&" : ""}next=${encodeURIComponent(pathname)}`);
  }, [hydrated, user, expired, router, pathname]);
  return user;
}

/** Only same-site paths are accepted as a place to return to after login. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
