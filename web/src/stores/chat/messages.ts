"use client";

import { create } from "zustand";
import type { ChatMessage } from "@/api/types";

/**
 * The message store: messages held per room (deduplicated by uuid, sorted by seq), messages being
 * sent, history paging and the connection state shown to the user. No I/O here: the socket
 * (`socket.ts`) and the catch-up (`catch-up.ts`) write into it.
 */

export type SocketStatus =
  | "idle"
  | "connecting"
  | "open"
  | "reconnecting"
  | "lost"
  | "revoked"
  | "no_rooms";

export interface PendingMessage {
  client_id: string;
  room: string;
  text: string;
  /** A photo message: the uploaded image's uuid and a local preview URL. */
  image?: string;
  preview?: string;
  state: "sending" | "failed";
  error?: string;
}

export interface ChatError {
  code: string;
  detail: string;
  at: number;
}

interface ChatState {
  status: SocketStatus;
  /** The last error frame or abnormal close, shown to the user. */
  error: ChatError | null;
  messages: Record<string, ChatMessage[]>;
  pending: Record<string, PendingMessage[]>;
  /** Next (older) history page per room: undefined = not loaded yet, null = no more. */
  historyNext: Record<string, string | null | undefined>;
  loadingHistory: Record<string, boolean>;
  /** The room on screen: its new messages are marked read at once. */
  activeRoom: string | null;
  /** The client_id the server held back (rate_limited): it and those after it wait. */
  held: string | null;
  /** Who is typing, per room: handle → display name and when the hint expires (ms). */
  typing: Record<string, Record<string, { name: string; until: number }>>;
}

export const useChat = create<ChatState>()(() => ({
  status: "idle",
  error: null,
  messages: {},
  pending: {},
  historyNext: {},
  loadingHistory: {},
  activeRoom: null,
  held: null,
  typing: {},
}));

/** Forgets every message of the session (logout, user change). */
export function resetMessages() {
  useChat.setState({
    status: "idle",
    error: null,
    messages: {},
    pending: {},
    historyNext: {},
    loadingHistory: {},
    held: null,
    typing: {},
  });
}

/** `handle` is typing in `room` for `seconds`; `null` seconds: they stopped (a message came). */
export function setTyping(room: string, handle: string, name: string, seconds: number | null) {
  useChat.setState((s) => {
    const current = { ...(s.typing[room] ?? {}) };
    if (seconds === null) {
      if (!(handle in current)) return s;
      delete current[handle];
    } else {
      current[handle] = { name, until: Date.now() + seconds * 1000 };
    }
    return { typing: { ...s.typing, [room]: current } };
  });
}

function mergeMessages(current: ChatMessage[] | undefined, incoming: ChatMessage[]): ChatMessage[] {
  const byUuid = new Map<string, ChatMessage>();
  for (const m of current ?? []) byUuid.set(m.uuid, m);
  for (const m of incoming) byUuid.set(m.uuid, m);
  return [...byUuid.values()].sort((a, b) => a.seq - b.seq);
}

export function addMessages(room: string, incoming: ChatMessage[]) {
  if (incoming.length === 0) return;
  useChat.setState((s) => ({
    messages: { ...s.messages, [room]: mergeMessages(s.messages[room], incoming) },
  }));
}

export function maxSeq(room: string): number {
  const list = useChat.getState().messages[room];
  return list && list.length > 0 ? list[list.length - 1].seq : 0;
}

/**
 * The highest seq up to which we hold every message, counting from the oldest one loaded. During
 * an outage our own acks may arrive while others' messages do not, so the highest seq seen can
 * sit above a hole; catch-up starts from here instead.
 */
export function contiguousSeq(room: string): number {
  const list = useChat.getState().messages[room];
  if (!list || list.length === 0) return 0;
  let top = list[0].seq;
  for (const m of list.slice(1)) {
    if (m.seq !== top + 1) break;
    top = m.seq;
  }
  return top;
}

export function newClientId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function addPending(p: PendingMessage) {
  useChat.setState((s) => ({
    pending: { ...s.pending, [p.room]: [...(s.pending[p.room] ?? []), p] },
  }));
}

export function findPending(clientId: string): PendingMessage | undefined {
  for (const list of Object.values(useChat.getState().pending)) {
    const p = list.find((x) => x.client_id === clientId);
    if (p) return p;
  }
  return undefined;
}

export function setPending(room: string, clientId: string, change: Partial<PendingMessage>) {
  useChat.setState((s) => ({
    pending: {
      ...s.pending,
      [room]: (s.pending[room] ?? []).map((p) => (p.client_id === clientId ? { ...p, ...change } : p)),
    },
  }));
}

export function removePending(room: string, clientId: string, mine = true) {
  if (!mine) return;
  useChat.setState((s) => ({
    pending: { ...s.pending, [room]: (s.pending[room] ?? []).filter((p) => p.client_id !== clientId) },
  }));
}
