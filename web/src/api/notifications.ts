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
import type { Notification, NotificationPage } from "@/api/types";
import { useAuth } from "@/stores/auth";

/**
 * Notifications (docs/notifications.md). The unread count and the list are two queries; the chat
 * socket's `notification` frames patch both (`applyNotificationFrame`), and a reconnect refetches
 * them because the channel layer may drop events.
 */
export const notificationsKey = ["notifications", "list"] as const;
export const unreadCountKey = ["notifications", "unread"] as const;

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

/** A live `{"type":"notification"}` frame: bump the count, put the item on top of the list. */
export function applyNotificationFrame(qc: QueryClient, n: Notification) {
  const pages = qc.getQueryData<Pages>(notificationsKey);
  if (pages?.pages.some((p) => p.results.some((x) => x.uuid === n.uuid))) return;
  if (!n.read) qc.setQueryData<number>(unreadCountKey, (c) => (c ?? 0) + 1);
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
    const [first, ...rest] = pages.pages;
    qc.setQueryData<Pages>(notificationsKey, {
      ...pages,
      pages: [{ ...first, results: [n, ...first.results] }, ...rest],
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
      qc.setQueryData<number>(unreadCountKey, (c) => (ids ? Math.max(0, (c ?? 0) - changed) : 0));
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

/** Where a notification leads: the post (also for comments, replies and likes), the actor, my reports. */
export function notificationHref(n: Notification): string | null {
  const t = n.target;
  switch (t.type) {
    case "user":
      return n.actor ? `/u/${n.actor.handle}` : null;
    case "post":
      return `/posts/${t.uuid}`;
    case "comment":
    case "reply":
      // Straight to the comment (the post page scrolls to it once the comments are loaded).
      return t.post ? `/posts/${t.post}#${t.type}-${t.uuid}` : null;
    case "report":
      return "/reports/mine";
    default:
      return null;
  }
}
