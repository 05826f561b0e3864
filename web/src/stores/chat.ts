"use client";

import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { create } from "zustand";
import { api, sameOrigin } from "@/api/client";
import { applyNotificationFrame, refetchNotifications } from "@/api/notifications";
import type { ChatMessage, CursorPage, Notification, Room, WsTicket } from "@/api/types";
import { useAuth } from "@/stores/auth";

/**
 * One WebSocket per user, shared by every page (docs/chat.md). The database is the source of
 * truth: the socket only delivers news, and after any reconnect the client catches up through
 * `?after_seq=` for the rooms it holds messages of. Messages are deduplicated by uuid and kept
 * sorted by seq, so a frame racing the catch-up never shows twice.
 */

export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting" | "revoked" | "no_rooms";

export interface PendingMessage {
  client_id: string;
  room: string;
  text: string;
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
}

export const useChat = create<ChatState>()(() => ({
  status: "idle",
  error: null,
  messages: {},
  pending: {},
  historyNext: {},
  loadingHistory: {},
  activeRoom: null,
}));

export const roomsKey = ["chat", "rooms"] as const;
export const roomKey = (uuid: string) => ["chat", "room", uuid] as const;

function mergeMessages(current: ChatMessage[] | undefined, incoming: ChatMessage[]): ChatMessage[] {
  const byUuid = new Map<string, ChatMessage>();
  for (const m of current ?? []) byUuid.set(m.uuid, m);
  for (const m of incoming) byUuid.set(m.uuid, m);
  return [...byUuid.values()].sort((a, b) => a.seq - b.seq);
}

function addMessages(room: string, incoming: ChatMessage[]) {
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

function newClientId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

type RoomPages = InfiniteData<CursorPage<Room>>;

/** Every message of ``room`` after the last contiguous one we hold, oldest first, all pages. */
async function fetchAfter(room: string): Promise<void> {
  let url: string | null =
    `/api/chats/rooms/${room}/messages/?after_seq=${contiguousSeq(room)}&page_size=100`;
  while (url) {
    const { data }: { data: CursorPage<ChatMessage> } = await api.get(sameOrigin(url));
    addMessages(room, data.results);
    url = data.next ? sameOrigin(data.next) : null;
  }
}

class ChatConnection {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  /** The attempt waiting for its ticket: a send meanwhile must not start a second socket. */
  private attempt: object | null = null;
  private qc: QueryClient | null = null;
  private me: string | null = null;

  start(qc: QueryClient, me: string) {
    this.qc = qc;
    if (!this.stopped && this.me === me) return;
    this.stop();
    this.me = me;
    this.stopped = false;
    this.attempts = 0;
    void this.connect();
  }

  stop() {
    this.stopped = true;
    this.attempt = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.close(1000);
    }
    useChat.setState({
      status: "idle",
      error: null,
      messages: {},
      pending: {},
      historyNext: {},
      loadingHistory: {},
    });
  }

  /** Connect now if the socket is down (e.g. after creating a room following a 4004 close). */
  ensure() {
    if (this.stopped || !this.me || this.attempt) return;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempts = 0;
    void this.connect();
  }

  private async connect() {
    if (this.stopped || this.attempt) return;
    const attempt = {};
    this.attempt = attempt;
    useChat.setState({ status: this.attempts === 0 ? "connecting" : "reconnecting" });
    let ticket: string;
    try {
      // A fresh one-time ticket for every attempt (30 s, single use).
      ticket = (await api.post<WsTicket>("/api/chats/ws-ticket/")).data.ticket;
    } catch {
      if (this.attempt !== attempt) return; // stopped (or restarted) meanwhile
      this.attempt = null;
      if (!useAuth.getState().access) return; // logged out: the shell stops us
      this.scheduleReconnect();
      return;
    }
    if (this.attempt !== attempt) return;
    this.attempt = null;
    if (this.stopped) return;
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${window.location.host}/ws/chat/?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      // An error about the previous socket's close is over once we are connected again.
      useChat.setState((s) => ({
        status: "open",
        error: s.error && (s.error.code.startsWith("close_") || s.error.code === "invalid_ticket") ? null : s.error,
      }));
      void this.catchUp().then(() => this.resendPending());
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== "string") return;
      try {
        this.onFrame(JSON.parse(ev.data) as Frame);
      } catch {
        /* a frame we cannot parse is ignored */
      }
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onClose(ev.code);
    };
  }

  private onClose(code: number) {
    if (this.stopped) return;
    if (code === 4001) {
      useChat.setState({
        status: "revoked",
        error: { code: "session_revoked", detail: "", at: Date.now() },
      });
      this.stopped = true;
      return;
    }
    if (code === 4004) {
      // No rooms left. The socket also carries notifications and the server accepts a user
      // without rooms, so connect again at once (ensure() after a room is created is then a no-op).
      useChat.setState({ status: "no_rooms" });
      this.attempts = 0;
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.connect();
      }, 200);
      return;
    }
    if (code !== 1000 && code !== 4401) {
      useChat.setState({ error: { code: `close_${code}`, detail: "", at: Date.now() } });
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    useChat.setState({ status: "reconnecting" });
    // Exponential backoff with full jitter, capped at 30 s.
    const base = Math.min(30_000, 500 * 2 ** this.attempts);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  /** After (re)connecting: refresh the room list, then fetch every gap of the rooms we hold. */
  private async catchUp() {
    const qc = this.qc;
    if (!qc) return;
    // Notifications pushed while the socket was down were stored: refetch the count and list.
    refetchNotifications(qc);
    await qc.invalidateQueries({ queryKey: roomsKey });
    const pages = qc.getQueryData<RoomPages>(roomsKey);
    const rooms = pages?.pages.flatMap((p) => p.results) ?? [];
    const held = useChat.getState().messages;
    await Promise.all(
      Object.keys(held).map(async (uuid) => {
        const room = rooms.find((r) => r.uuid === uuid);
        try {
          if (!room || room.last_seq > contiguousSeq(uuid)) await fetchAfter(uuid);
          // message.hidden / message.unhidden frames sent while we were away are not replayed:
          // refresh the newest messages we hold (replaced by uuid, nothing new is added).
          const { data } = await api.get<CursorPage<ChatMessage>>(
            `/api/chats/rooms/${uuid}/messages/?page_size=30`,
          );
          const loaded = new Set((useChat.getState().messages[uuid] ?? []).map((m) => m.uuid));
          addMessages(uuid, data.results.filter((m) => loaded.has(m.uuid)));
        } catch {
          /* the room may be gone (left or closed): nothing to catch up */
        }
      }),
    );
    const active = useChat.getState().activeRoom;
    if (active) this.markRead(active);
  }

  private resendPending() {
    for (const list of Object.values(useChat.getState().pending)) {
      for (const p of list) this.sendFrame(p);
    }
  }

  private sendFrame(p: PendingMessage): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(
      JSON.stringify({ type: "message.send", room: p.room, text: p.text, client_id: p.client_id }),
    );
    return true;
  }

  send(room: string, text: string) {
    const p: PendingMessage = { client_id: newClientId(), room, text, state: "sending" };
    useChat.setState((s) => ({
      pending: { ...s.pending, [room]: [...(s.pending[room] ?? []), p] },
    }));
    // Not open: it goes out with its client_id on the next open (resendPending).
    if (!this.sendFrame(p)) this.ensure();
  }

  retry(p: PendingMessage) {
    setPending(p.room, p.client_id, { state: "sending", error: undefined });
    if (!this.sendFrame(p)) this.ensure();
  }

  markRead(room: string, seq?: number) {
    const top = seq ?? maxSeq(room);
    patchRoom(this.qc, room, (r) => ({
      ...r,
      last_read_seq: Math.max(r.last_read_seq, Math.min(top || r.last_seq, r.last_seq)),
      unread_count: seq === undefined ? 0 : Math.max(0, r.last_seq - Math.max(r.last_read_seq, seq)),
    }));
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(seq ? { type: "room.read", room, seq } : { type: "room.read", room }));
    } else {
      void api.post(`/api/chats/rooms/${room}/read/`, seq ? { seq } : {}).catch(() => undefined);
    }
  }

  private onFrame(frame: Frame) {
    const qc = this.qc;
    switch (frame.type) {
      case "message.ack": {
        addMessages(frame.message.room, [frame.message]);
        removePending(frame.message.room, frame.client_id);
        patchRoomWithMessage(qc, frame.message, this.me);
        break;
      }
      case "message": {
        const held = contiguousSeq(frame.room);
        addMessages(frame.room, [frame.message]);
        // A skipped number means a message did not ring (a broker hiccup): fetch the hole.
        if (held > 0 && frame.message.seq > held + 1) void fetchAfter(frame.room).catch(() => undefined);
        removePending(frame.room, frame.message.client_id, frame.message.sender?.handle === this.me);
        const viewing =
          useChat.getState().activeRoom === frame.room && document.visibilityState === "visible";
        patchRoomWithMessage(qc, frame.message, viewing ? frame.message.sender?.handle ?? null : this.me);
        if (viewing && frame.message.sender?.handle !== this.me) this.markRead(frame.room, frame.message.seq);
        if (!findRoom(qc, frame.room)) void qc?.invalidateQueries({ queryKey: roomsKey });
        break;
      }
      case "message.hidden":
      case "message.unhidden": {
        // Moderation changed a message: replace it where it is loaded (by uuid); the room's
        // last-message preview may show it too.
        const loaded = useChat.getState().messages[frame.room];
        if (loaded?.some((m) => m.uuid === frame.message.uuid)) addMessages(frame.room, [frame.message]);
        void qc?.invalidateQueries({ queryKey: roomsKey });
        break;
      }
      case "room.read": {
        patchRoom(qc, frame.room, (r) => ({
          ...r,
          last_read_seq: Math.max(r.last_read_seq, frame.seq),
          unread_count: Math.max(0, r.last_seq - Math.max(r.last_read_seq, frame.seq)),
        }));
        break;
      }
      case "room.joined":
      case "room.left":
      case "room.members": {
        void qc?.invalidateQueries({ queryKey: roomsKey });
        void qc?.invalidateQueries({ queryKey: roomKey(frame.room) });
        break;
      }
      case "notification": {
        if (qc && frame.notification) applyNotificationFrame(qc, frame.notification);
        break;
      }
      case "session.revoked": {
        useChat.setState({ status: "revoked", error: { code: "session_revoked", detail: "", at: Date.now() } });
        break;
      }
      case "error": {
        useChat.setState({ error: { code: frame.code, detail: frame.detail ?? "", at: Date.now() } });
        if (frame.client_id) {
          const p = findPending(frame.client_id);
          if (p && frame.code === "rate_limited") {
            // Same client_id later: the server stores it once.
            setTimeout(() => this.sendFrame(p), 1500);
          } else if (p) {
            setPending(p.room, p.client_id, { state: "failed", error: frame.code });
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

type Frame =
  | { type: "message.ack"; client_id: string; message: ChatMessage }
  | { type: "message"; room: string; message: ChatMessage }
  | { type: "message.hidden" | "message.unhidden"; room: string; message: ChatMessage }
  | { type: "room.read"; room: string; seq: number }
  | { type: "room.joined" | "room.left"; room: string }
  | { type: "room.members"; room: string; joined: string[]; left: string[] }
  | { type: "session.revoked" }
  | { type: "error"; code: string; detail?: string; client_id?: string }
  | { type: "notification"; notification: Notification };

function findPending(clientId: string): PendingMessage | undefined {
  for (const list of Object.values(useChat.getState().pending)) {
    const p = list.find((x) => x.client_id === clientId);
    if (p) return p;
  }
  return undefined;
}

function setPending(room: string, clientId: string, change: Partial<PendingMessage>) {
  useChat.setState((s) => ({
    pending: {
      ...s.pending,
      [room]: (s.pending[room] ?? []).map((p) => (p.client_id === clientId ? { ...p, ...change } : p)),
    },
  }));
}

function removePending(room: string, clientId: string, mine = true) {
  if (!mine) return;
  useChat.setState((s) => ({
    pending: { ...s.pending, [room]: (s.pending[room] ?? []).filter((p) => p.client_id !== clientId) },
  }));
}

function findRoom(qc: QueryClient | null, uuid: string): Room | undefined {
  return qc
    ?.getQueryData<RoomPages>(roomsKey)
    ?.pages.flatMap((p) => p.results)
    .find((r) => r.uuid === uuid);
}

function patchRoom(qc: QueryClient | null, uuid: string, change: (r: Room) => Room) {
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
function patchRoomWithMessage(qc: QueryClient | null, m: ChatMessage, readBy: string | null) {
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

export const chatConnection = new ChatConnection();

/** Loads the next older page of a room's history (newest first from the API). */
export async function loadOlder(room: string): Promise<void> {
  const state = useChat.getState();
  const next = state.historyNext[room];
  if (next === null || state.loadingHistory[room]) return;
  useChat.setState((s) => ({ loadingHistory: { ...s.loadingHistory, [room]: true } }));
  try {
    const url = next ?? `/api/chats/rooms/${room}/messages/?page_size=30`;
    const { data } = await api.get<CursorPage<ChatMessage>>(sameOrigin(url));
    addMessages(room, data.results);
    useChat.setState((s) => ({
      historyNext: { ...s.historyNext, [room]: data.next ? sameOrigin(data.next) : null },
    }));
  } finally {
    useChat.setState((s) => ({ loadingHistory: { ...s.loadingHistory, [room]: false } }));
  }
}
