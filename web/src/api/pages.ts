"use client";

import { api, sameOrigin } from "@/api/client";
import type { CursorPage } from "@/api/types";

/**
 * Fetches one page of a list. `next` links from the API are absolute URLs built from the
 * Host Django saw; they are turned back into same-origin paths so they go through the proxy.
 */
export async function fetchPage<T>(url: string): Promise<CursorPage<T>> {
  const { data } = await api.get<CursorPage<T>>(sameOrigin(url));
  return { ...data, next: data.next ? sameOrigin(data.next) : null };
}
