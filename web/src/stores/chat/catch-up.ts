"use client";

import type { QueryClient } from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import { refetchNotifications } from "@/api/notifications";
import type { ChatMessage, CursorPage } from "@/api/types";
import { cachedRooms, roomsKey } from "@/stores/chat/cache";
import { addMessages, contiguousSeq, useChat } from "@/stores/chat/messages";

/**
 * Catch-up and history over HTTP. The database is the source of truth: the socket only delivers
 * news, so after any reconnect (and when a live frame skips a seq) the messages missed are
 * fetched through `?after_seq=`, and older history is paged on demand.
 */

const messagesPath = "/api/chats/rooms/{uuid}/messages/";

/** Every message of ``room`` after the last contiguous one we hold, oldest first, all pages. */
export async function fetchAfter(room: string): Promise<void> {
  let link: string | null = null;
  do {
    const page: CursorPage<ChatMessage> = await unwrap(
      api.GET(messagesPath, {
        params: { path: { uuid: room }, query: { after_seq: contiguousSeq(room), page_size: 100 } },
        ...followLink(link),
      }),
    );
    addMessages(room, page.results);
    link = page.next ?? null;
  } while (link);
}

/**
 * message.hidden / message.unhidden frames sent while we were away are not replayed: refresh the
 * newest messages we hold (replaced by uuid, nothing new is added).
 */
async function refreshNewest(room: string): Promise<void> {
  const page = await unwrap(
    api.GET(messagesPath, { params: { path: { uuid: room }, query: { page_size: 30 } } }),
  );
  const loaded = new Set((useChat.getState().messages[room] ?? []).map((m) => m.uuid));
  addMessages(room, page.results.filter((m) => loaded.has(m.uuid)));
}

/** After (re)connecting: refresh the room list, then fetch every gap of the rooms we hold. */
export async function catchUp(qc: QueryClient): Promise<void> {
  // Notifications pushed while the socket was down were stored: refetch the count and list.
  refetchNotifications(qc);
  await qc.invalidateQueries({ queryKey: roomsKey });
  const rooms = cachedRooms(qc);
  const held = useChat.getState().messages;
  await Promise.all(
    Object.keys(held).map(async (uuid) => {
      const room = rooms.find((r) => r.uuid === uuid);
      try {
        if (!room || room.last_seq > contiguousSeq(uuid)) await fetchAfter(uuid);
        await refreshNewest(uuid);
      } catch {
        /* the room may be gone (left or closed): nothing to catch up */
      }
    }),
  );
}

/** Loads the next older page of a room's history (newest first from the API). */
export async function loadOlder(room: string): Promise<void> {
  const state = useChat.getState();
  const next = state.historyNext[room];
  if (next === null || state.loadingHistory[room]) return;
  useChat.setState((s) => ({ loadingHistory: { ...s.loadingHistory, [room]: true } }));
  try {
    const page = await unwrap(
      api.GET(messagesPath, {
        params: { path: { uuid: room }, query: { page_size: 30 } },
        ...followLink(next),
      }),
    );
    addMessages(room, page.results);
    useChat.setState((s) => ({
      historyNext: { ...s.historyNext, [room]: page.next ?? null },
    }));
  } finally {
    useChat.setState((s) => ({ loadingHistory: { ...s.loadingHistory, [room]: false } }));
  }
}
