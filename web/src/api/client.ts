"use client";

import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "@/api/schema";
import { refreshSession } from "@/api/session";
import { useAuth } from "@/stores/auth";

/**
 * One API client for the whole app, typed from the OpenAPI schema (`npm run generate` writes
 * `schema.d.ts`): paths, path/query parameters, request bodies and response types are checked by
 * `tsc`. The API lives on the same origin (Next.js proxies /api/ to Django), so paths are relative.
 *
 * Calls return `{data, error, response}`; `unwrap()` turns a non-2xx answer into a thrown
 * `HttpError` (TanStack Query and the forms read it with `toApiError`).
 */

const TIMEOUT_MS = 20_000;

/** A non-2xx answer of the API; `body` is the parsed `{code, detail, fields}` when there is one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
    this.name = "HttpError";
  }
}

/** The HTTP status of an error thrown by the client (0 for a network failure or a bug). */
export function statusOf(error: unknown): number {
  return error instanceof HttpError ? error.status : 0;
}

// The bodies of authorized requests in flight, read once, so that a request refused with 401 can
// be sent again once (a Request's body can be read only once; a clone() would turn it into a
// stream). Keyed by openapi-fetch's request id; null for requests without a body.
const bodies = new Map<string, ArrayBuffer | null>();

/** Where the API issues, rotates and revokes refresh tokens (login, sign-up, Google, logout…). */
const ACCOUNTS_PATH = "/api/accounts/";

const auth: Middleware = {
  async onRequest({ request, id }) {
    // A browser: the refresh token goes into an HttpOnly cookie, never into this page's storage.
    if (new URL(request.url).pathname.startsWith(ACCOUNTS_PATH)) {
      request.headers.set("X-Refresh-Cookie", "1");
    }
    let access = useAuth.getState().access;
    // Signed in, but the access token is gone (restored from the cookie on start): get one first.
    if (!access && useAuth.getState().user) access = await refreshSession(null);
    if (access && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${access}`);
    }
    if (!request.headers.has("Authorization")) return request;
    if (request.body === null) {
      bodies.set(id, null);
      return request;
    }
    const bytes = await request.arrayBuffer();
    bodies.set(id, bytes);
    return new Request(request, { body: bytes });
  },
  async onResponse({ request, response, id }) {
    if (!bodies.has(id)) return response;
    const bytes = bodies.get(id) ?? null;
    bodies.delete(id);
    if (response.status !== 401) return response;
    const sent = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? null;
    // Single flight within the tab and across tabs (Web Locks); if another request or tab has
    // already rotated the tokens, their new access token is used instead of refreshing again.
    const token = await refreshSession(sent);
    if (!token) return response;
    const retry = bytes === null ? new Request(request) : new Request(request, { body: bytes });
    retry.headers.set("Authorization", `Bearer ${token}`);
    return timedFetch(retry);
  },
  onError({ id }) {
    bodies.delete(id);
  },
};

function timedFetch(request: Request): Promise<Response> {
  const signal =
    typeof AbortSignal !== "undefined" && "timeout" in AbortSignal
      ? AbortSignal.timeout(TIMEOUT_MS)
      : undefined;
  return globalThis.fetch(request, signal ? { signal } : undefined);
}

export const api = createClient<paths>({ baseUrl: "", fetch: timedFetch });
api.use(auth);

/** Resolves to the data of a 2xx answer, throws `HttpError` for anything else. */
export async function unwrap<D>(
  call: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new HttpError(response.status, error);
  return data as D;
}

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

/**
 * Request options that send a `next`/`previous` link's query (absolute, built by Django) to the
 * same typed path: `{cursor, page_size, ...}` for cursor pages, `{page, ...}` for numbered ones. The
 * link comes from that endpoint's own answer, so its parameters replace the first page's `query`
 * (the schema does not always list `cursor`). No link: the first page, nothing changes.
 */
export function followLink(link: string | null | undefined): { querySerializer?: () => string } {
  if (!link) return {};
  const search = new URL(link, "http://link.invalid").search.replace(/^\?/, "");
  return { querySerializer: () => search };
}
