/**
 * The UI language, shared by the server and the browser (no "use client": server components and
 * the root layout import it). The language switch writes the `lang` cookie, so the server renders
 * the page in the language the browser will show; without the cookie, Accept-Language decides
 * (Korean unless the browser prefers English).
 */
export type Locale = "ko" | "en";
export const LOCALES: Locale[] = ["ko", "en"];
export const DEFAULT_LOCALE: Locale = "ko";
export const LANG_COOKIE = "lang";

export function isLocale(value: unknown): value is Locale {
  return value === "ko" || value === "en";
}

/** The first of ko/en in an Accept-Language header, by quality (`en-US,en;q=0.9,ko;q=0.8`). */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [range, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: range.trim().toLowerCase().split("-")[0], quality, index };
    })
    .filter((r) => Number.isFinite(r.quality) && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale) ?? null;
}

/** The cookie's language if it names one, else Accept-Language's, else Korean. */
export function pickLocale(cookie: string | null | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

/**
 * `value` as a path of this site (percent-encoded, with its query), or "/" for anything that would
 * leave it: another origin, `//host`, `/\\host`, a scheme, or not a string.
 */
export function sitePath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2048) return "/";
  const base = "http://site.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  return `${url.pathname}${url.search}`;
}

/** Browser only: the `lang` cookie's language, or null without one. */
export function readLangCookie(): Locale | null {
  if (typeof document === "undefined") return null;
  const pair = document.cookie.split("; ").find((c) => c.startsWith(`${LANG_COOKIE}=`));
  const value = pair?.slice(LANG_COOKIE.length + 1);
  return isLocale(value) ? value : null;
}

/** The `lang` cookie for `locale`: one year, whole site (a `Set-Cookie` or `document.cookie` value). */
export function langCookie(locale: Locale): string {
  return `${LANG_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** Browser only: remember the language for the server's next render. */
export function writeLangCookie(locale: Locale): void {
  if (typeof document === "undefined") return;
  document.cookie = langCookie(locale);
}

/**
 * A hint, not a credential: "this browser has a signed-in session" (the session itself stays in
 * the browser). The server then leaves personal pages (the home feed, a draft only its author can
 * read) to the browser instead of rendering the visitor's version first.
 */
export const MEMBER_COOKIE = "member";

export function writeMemberCookie(signedIn: boolean): void {
  if (typeof document === "undefined") return;
  document.cookie = signedIn
    ? `${MEMBER_COOKIE}=1; Path=/; Max-Age=31536000; SameSite=Lax`
    : `${MEMBER_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
}
