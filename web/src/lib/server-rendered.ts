/**
 * Pages whose first content the server renders (their page.tsx reads the API on the server and
 * seeds the query cache): the app shell shows them before the session is read from storage, so
 * the server HTML holds the content instead of a spinner. Every other page waits for the session
 * in the browser, as before.
 */
const PATTERNS = [
  /^\/$/, // home (latest posts for visitors)
  /^\/posts\/(?!new$)[^/]+$/, // a post
  /^\/products$/, // the product list
  /^\/products\/(?!new$|saved$)[^/]+$/, // a product
  /^\/u\/[^/]+$/, // a profile
  /^\/tags\/[^/]+$/, // a tag's posts
];

export function rendersOnServer(pathname: string): boolean {
  return PATTERNS.some((p) => p.test(pathname));
}

/** A route segment as typed, decoded (a stray `%` must not break the page). */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
