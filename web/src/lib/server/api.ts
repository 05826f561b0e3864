/**
 * Server-rendered first content: server components read the API over the internal origin
 * (API_ORIGIN, the same one the proxy and lib/page-meta.ts use), as the visitor, in the page's
 * language, with the browser's address for the rate limits (X-Forwarded-For, as web/server.mjs
 * sets it) and the web app's host for the links in answers (X-Forwarded-Host).
 *
 * Server only (next/headers). A read never throws: 404 and other refusals come back as their
 * status, a timeout or an unreachable API as status 0, so a page can fall back to the client.
 */
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { LANG_COOKIE, MEMBER_COOKIE, pickLocale, type Locale } from "@/lib/locale";

const API = (process.env.API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
/** A slow API must not hold the page: past this the browser fetches, as before. */
const TIMEOUT_MS = 2500;

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number };

/** The language of this request: the `lang` cookie, else Accept-Language, else Korean. */
export const requestLocale = cache(async (): Promise<Locale> => {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  return pickLocale(jar.get(LANG_COOKIE)?.value, h.get("accept-language"));
});

/** The browser said it holds a signed-in session (lib/locale.ts `writeMemberCookie`). */
export async function memberHint(): Promise<boolean> {
  return (await cookies()).get(MEMBER_COOKIE)?.value === "1";
}

/** One GET per path and request (React's cache: a layout's metadata and its page share it). */
const getJson = cache(async (path: string): Promise<ApiResult<unknown>> => {
  const h = await headers();
  const locale = await requestLocale();
  const forwarded: Record<string, string> = {};
  const client = h.get("x-forwarded-for");
  if (client) forwarded["X-Forwarded-For"] = client;
  const host = h.get("x-forwarded-host") ?? h.get("host");
  if (host) forwarded["X-Forwarded-Host"] = host;
  try {
    const res = await fetch(`${API}${path}`, {
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { Accept: "application/json", "Accept-Language": locale, ...forwarded },
    });
    if (!res.ok) return { ok: false, status: res.status };
    return { ok: true, data: (await res.json()) as unknown };
  } catch {
    return { ok: false, status: 0 };
  }
});

export async function apiGet<T>(path: string): Promise<ApiResult<T>> {
  return (await getJson(path)) as ApiResult<T>;
}
