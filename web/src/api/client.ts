"use client";

import axios, { AxiosHeaders, type AxiosError, type InternalAxiosRequestConfig } from "axios";
import type { TokenPair } from "@/api/types";
import { useAuth } from "@/stores/auth";

/**
 * One axios instance for the whole app. The API lives on the same origin (Next.js proxies
 * /api/ to Django), so URLs are relative paths such as `/api/posts/latest/`.
 */
export const api = axios.create({ baseURL: "", timeout: 20_000 });

api.interceptors.request.use((config) => {
  const access = useAuth.getState().access;
  if (access && !config.headers.has("Authorization")) {
    config.headers.set("Authorization", `Bearer ${access}`);
  }
  return config;
});

// Single flight: every request that fails with 401 while a refresh is running waits for the same
// promise, so a burst of parallel 401s costs one refresh (the refresh token rotates: a second
// refresh with the old token would be refused and log the user out).
let refreshing: Promise<string | null> | null = null;

async function refreshAccess(): Promise<string | null> {
  const { refresh } = useAuth.getState();
  if (!refresh) return null;
  try {
    // A bare axios call: it must not go through the interceptors of `api`.
    const { data } = await axios.post<TokenPair>("/api/accounts/token/refresh/", { refresh });
    useAuth.getState().setSession({ access: data.access, refresh: data.refresh });
    return data.access;
  } catch {
    useAuth.getState().logout();
    return null;
  }
}

export function refreshOnce(): Promise<string | null> {
  if (!refreshing) {
    refreshing = refreshAccess().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

type RetriableConfig = InternalAxiosRequestConfig & { _retried?: boolean };

api.interceptors.response.use(undefined, async (error: AxiosError) => {
  const config = error.config as RetriableConfig | undefined;
  const sentToken = config?.headers?.get?.("Authorization");
  if (error.response?.status !== 401 || !config || config._retried || !sentToken) {
    throw error;
  }
  // If another request already refreshed while this one was in flight, use the new token.
  const current = useAuth.getState().access;
  const token =
    current && sentToken !== `Bearer ${current}` ? current : await refreshOnce();
  if (!token) throw error;
  config._retried = true;
  const headers = AxiosHeaders.from(config.headers);
  headers.set("Authorization", `Bearer ${token}`);
  config.headers = headers;
  return api.request(config);
});

/** Turns an absolute URL from the API (a `next` link, a media URL) into a same-origin path. */
export function sameOrigin(url: string): string {
  if (url.startsWith("/")) return url;
  try {
    const u = new URL(url);
    if (/^\/(api|media|ws)\//.test(u.pathname)) return `${u.pathname}${u.search}`;
    return url;
  } catch {
    return url;
  }
}
