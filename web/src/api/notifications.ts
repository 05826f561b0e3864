"use client";

import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import type { Notification, NotificationPage } from "@/api/types";
import { useAuth } from "@/stores/auth";

/**
 * Notifications (docs/notifications.md). The unread count and the list are two queries; the chat
 * socket's `notification` frames patch both (`applyNotificationFrame`), and a reconnect refetches
 * them because the channel layer may drop events.
 */
export const notificationsKey = ["notifications", "list"] as const;
export const unreadCountKey = ["notifications", "unread"] as const;
/** The API counts unread notifications up to this (the badge then says "99+"). */
export const UNREAD_COUNT_MAX = 100;

type Pages = InfiniteData<NotificationPage>;

export function useUnreadCount() {
  const access = useAuth((s) => s.access);
  return useQuery({
    queryKey: unreadCountKey,
    enabled: !!access,
    queryFn: async () =>
      (await unwrap(api.GET("/api/notifications/unread-count/"))).unread_count,
  });
}

export function useNotifications() {
  const qc = useQueryClient();
  const access = useAuth((s) => s.access);
  return useInfiniteQuery({
    queryKey: notificationsKey,
    enabled: !!access,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }): Promise<NotificationPage> => {
      const data = await unwrap(
        api.GET("/api/notifications/", {
          params: { query: { page_size: 20 } },
          ...followLink(pageParam),
        }),
      );
      // Every page carries the current count: keep the bell in step with the list.
      qc.setQueryData(unreadCountKey, data.unread_count);
      return data;
    },
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

function patchList(qc: QueryClient, change: (n: Notification) => Notification) {
  qc.setQueryData<Pages>(notificationsKey, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({ ...p, results: p.results.map(change) })),
        }
      : data,
  );
}

/**
 * A live `{"type":"notification"}` frame: put the item on top of the list. A group that gained
 * an actor arrives with the uuid it already has: it replaces the old line (moved to the top) and
 * the count rises only if that line was read or not loaded.
 */
export function applyNotificationFrame(qc: QueryClient, n: Notification) {
  const pages = qc.getQueryData<Pages>(notificationsKey);
  const known = pages?.pages.flatMap((p) => p.results).find((x) => x.uuid === n.uuid);
  if (known && known.latest_at >= n.latest_at && known.actor_count >= n.actor_count) return;
  if (!n.read && (!known || known.read)) {
    qc.setQueryData<number>(unreadCountKey, (c) => Math.min(UNREAD_COUNT_MAX, (c ?? 0) + 1));
  }
  // A count request in flight was answered before this notification existed and would overwrite
  // the bump: cancel it and ask again (the row is committed before the frame is sent).
  if (qc.isFetching({ queryKey: unreadCountKey }) > 0) {
    void qc.invalidateQueries({ queryKey: unreadCountKey });
  }
  if (qc.isFetching({ queryKey: notificationsKey }) > 0) {
    void qc.invalidateQueries({ queryKey: notificationsKey });
    return;
  }
  if (pages && pages.pages.length > 0) {
    const rest = pages.pages.map((p) => ({
      ...p,
      results: p.results.filter((x) => x.uuid !== n.uuid),
    }));
    const [first, ...others] = rest;
    qc.setQueryData<Pages>(notificationsKey, {
      ...pages,
      pages: [{ ...first, results: [n, ...first.results] }, ...others],
    });
  }
}

/** After a socket (re)connect: what was missed while it was down comes from the database. */
export function refetchNotifications(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["notifications"] });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { uuids: string[] } | { all: true }) =>
      unwrap(api.POST("/api/notifications/read/", { body })),
    onMutate: async (body) => {
      // A count or list fetched before this write lands would bring the unread state back.
      await qc.cancelQueries({ queryKey: ["notifications"] });
      const ids = "uuids" in body ? new Set(body.uuids) : null;
      let changed = 0;
      patchList(qc, (n) => {
        if (n.read || (ids && !ids.has(n.uuid))) return n;
        changed += 1;
        return { ...n, read: true };
      });
      const before = qc.getQueryData<number>(unreadCountKey);
      // The server counts up to UNREAD_COUNT_MAX ("99+"): a count at the cap may hide more
      // unread rows, so it stays until the server's answer arrives.
      qc.setQueryData<number>(unreadCountKey, (c) =>
        !ids ? 0 : (c ?? 0) >= UNREAD_COUNT_MAX ? c : Math.max(0, (c ?? 0) - changed),
      );
      return { before };
    },
    onError: (_e, _b, ctx) => {
      if (ctx?.before !== undefined) qc.setQueryData(unreadCountKey, ctx.before);
      void qc.invalidateQueries({ queryKey: notificationsKey });
    },
    onSuccess: (data) => qc.setQueryData(unreadCountKey, data.unread_count),
    // Anything that started during the write (a socket reconnect refetches) may predate it.
    onSettled: () => {
      if (qc.isFetching({ queryKey: ["notifications"] }) > 0) {
        void qc.invalidateQueries({ queryKey: ["notifications"] });
      }
    },
  });
}

/** What the appeal form calls a hidden item (chat messages are `chat_message` there). */
const APPEAL_TARGET_TYPES: Record<string, string> = {
  post: "post",
  comment: "comment",
  reply: "reply",
  product: "product",
  message: "chat_message",
};

/** The appeal form for a `content_hidden` notification (the reports app builds the page). */
export function appealHref(n: Notification): string | null {
  const type = APPEAL_TARGET_TYPES[n.target.type];
  if (n.kind !== "content_hidden" || !type) return null;
  return `/reports/appeal?${new URLSearchParams({ target_type: type, target: n.target.uuid })}`;
}

/**
 * Where a notification leads: the post (also for comments, replies, likes and mentions), the
 * actor (a follow), the product (saves, store-link issues), the appeal form (hidden content),
 * my reports.
 */
export function notificationHref(n: Notification): string | null {
  const t = n.target;
  if (n.kind === "content_hidden") return appealHref(n);
  switch (t.type) {
    case "user":
      return n.actor ? `/u/${n.actor.handle}` : null;
    case "post":
      return `/posts/${t.uuid}`;
    case "comment":
    case "reply":
      // Straight to the comment (the post page scrolls to it once the comments are loaded).
      return t.post ? `/posts/${t.post}#${t.type}-${t.uuid}` : null;
    case "product":
      return `/products/${t.uuid}`;
    case "report":
      return "/reports/mine";
    default:
      return null;
  }
}

export type NotificationPreferences = components["schemas"]["NotificationPreferences"];
export type NotificationKind = keyof NotificationPreferences;
type PreferencesUpdate = components["schemas"]["PatchedNotificationPreferencesRequest"];
export const preferencesKey = ["notifications", "preferences"] as const;
/** Moderation notices cannot be turned off (the API refuses). */
export const ALWAYS_ON: readonly NotificationKind[] = ["warning", "content_hidden"];

export function useNotificationPreferences() {
  const access = useAuth((s) => s.access);
  return useQuery({
    queryKey: preferencesKey,
    enabled: !!access,
    queryFn: async () => unwrap(api.GET("/api/notifications/preferences/")),
  });
}

/** Turn one kind on or off; the answer (every kind) replaces the cached preferences. */
export function useUpdateNotificationPreferences() {
  const qc = useQueryClient();
  return useMutation({
    // The schema allows ALWAYS_ON kinds only as true; their switches never send false.
    mutationFn: (body: Partial<NotificationPreferences>) =>
      unwrap(api.PATCH("/api/notifications/preferences/", { body: body as PreferencesUpdate })),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: preferencesKey });
      const before = qc.getQueryData<NotificationPreferences>(preferencesKey);
      if (before) qc.setQueryData<NotificationPreferences>(preferencesKey, { ...before, ...body });
      return { before };
    },
    onError: (_e, _b, ctx) => {
      if (ctx?.before) qc.setQueryData(preferencesKey, ctx.before);
    },
    onSuccess: (data) => qc.setQueryData(preferencesKey, data),
  });
}
