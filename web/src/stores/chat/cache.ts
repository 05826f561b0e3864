"use client";

import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { ChatMessage, CursorPage, Room } from "@/api/types";

/**
 * Cache patching: socket frames change the cached room list and room details (last message,
 * seq, unread count, order) in TanStack Query without refetching.
 */

export const roomsKey = ["chat", "rooms"] as const;
export const roomKey = (uuid: string) => ["chat", "room", uuid] as const;

export type RoomPages = InfiniteData<CursorPage<Room>>;

export function cachedRooms(qc: QueryClient): Room[] {
  return qc.getQueryData<RoomPages>(roomsKey)?.pages.flatMap((p) => p.results) ?? [];
}

export function findRoom(qc: QueryClient | null, uuid: string): Room | undefined {
  return qc ? cachedRooms(qc).find((r) => r.uuid === uuid) : undefined;
}

export function patchRoom(qc: QueryClient | null, uuid: string, change: (r: Room) => Room) {
  if (!qc) return;
  qc.setQueryData<Room>(roomKey(uuid), (r) => (r ? change(r) : r));
  qc.setQueryData<RoomPages>(roomsKey, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            results: p.results.map((r) => (r.uuid === uuid ? change(r) : r)),
          })),
        }
      : data,
  );
}

/** New message: last message, seq and unread count change, and the room moves to the top. */
export function patchRoomWithMessage(qc: QueryClient | null, m: ChatMessage, readBy: string | null) {
  if (!qc) return;
  const change = (r: Room): Room => {
    if (m.seq <= r.last_seq && r.last_message && r.last_message.seq >= m.seq) return r;
    const mine = m.sender?.handle === readBy;
    const lastRead = mine ? Math.max(r.last_read_seq, m.seq) : r.last_read_seq;
    const lastSeq = Math.max(r.last_seq, m.seq);
    return {
      ...r,
      last_message: m,
      last_seq: lastSeq,
      last_read_seq: lastRead,
      unread_count: Math.max(0, lastSeq - lastRead),
      updated_at: m.created_at,
    };
  };
  qc.setQueryData<Room>(roomKey(m.room), (r) => (r ? change(r) : r));
  qc.setQueryData<RoomPages>(roomsKey, (data) => {
    if (!data) return data;
    let moved: Room | undefined;
    const pages = data.pages.map((p) => ({
      ...p,
      results: p.results.filter((r) => {
        if (r.uuid !== m.room) return true;
        moved = change(r);
        return false;
      }),
    }));
    if (!moved) return data;
    pages[0] = { ...pages[0], results: [moved, ...pages[0].results] };
    return { ...data, pages };
  });
}

/** Read up to `seq` (or everything): the room's read mark and unread count. */
export function patchRoomRead(qc: QueryClient | null, room: string, top: number, seq?: number) {
  patchRoom(qc, room, (r) => ({
    ...r,
    last_read_seq: Math.max(r.last_read_seq, Math.min(top || r.last_seq, r.last_seq)),
    unread_count: seq === undefined ? 0 : Math.max(0, r.last_seq - Math.max(r.last_read_seq, seq)),
  }));
}

/** A member's read mark moved (a receipt, or they sent a message): unread counts follow from it. */
export function patchMemberRead(qc: QueryClient | null, room: string, handle: string, seq: number) {
  patchRoom(qc, room, (r) =>
    r.members.some((m) => m.handle === handle && m.last_read_seq < seq)
      ? {
          ...r,
          members: r.members.map((m) =>
            m.handle === handle ? { ...m, last_read_seq: Math.max(m.last_read_seq, seq) } : m,
          ),
        }
      : r,
  );
}
