"use client";

import type { QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { applyNotificationFrame } from "@/api/notifications";
import type { ChatMessage, Notification } from "@/api/types";
import { useAuth } from "@/stores/auth";
import {
  findRoom,
  patchMemberRead,
  patchRoom,
  patchRoomRead,
  patchRoomWithMessage,
  roomKey,
  roomsKey,
} from "@/stores/chat/cache";
import { catchUp, fetchAfter } from "@/stores/chat/catch-up";
import {
  addMessages,
  addPending,
  contiguousSeq,
  findPending,
  maxSeq,
  newClientId,
  removePending,
  resetMessages,
  setPending,
  setTyping,
  useChat,
  type PendingMessage,
} from "@/stores/chat/messages";

/**
 * The socket: one WebSocket per user, shared by every page (docs/chat.md). It connects with a
 * one-time ticket, reconnects with backoff, sends and re-sends pending messages, and hands each
 * frame to the message store and the cache patching; after every (re)connect `catchUp` fetches
 * what the socket missed.
 */

const SEND_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 20_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The heartbeat's timing: a ping every `everyMs`, lost after `timeoutMs` without an answer.
 * Tests shorten it with `window.__tangerineHeartbeat = {everyMs, timeoutMs}` set before the app
 * starts (read at each connect); anything else keeps the defaults.
 */
function heartbeatTiming(): { everyMs: number; timeoutMs: number } {
  const given = (window as { __tangerineHeartbeat?: { everyMs?: unknown; timeoutMs?: unknown } })
    .__tangerineHeartbeat;
  const ms = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isFinite(value) && value >= 100 ? value : fallback;
  return {
    everyMs: ms(given?.everyMs, HEARTBEAT_MS),
    timeoutMs: ms(given?.timeoutMs, HEARTBEAT_TIMEOUT_MS),
  };
}
/** At most one typing frame per room this often (the server throttles too). */
const TYPING_EVERY_MS = 2_000;

class ChatConnection {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  /** The attempt waiting for its ticket: a send meanwhile must not start a second socket. */
  private attempt: object | null = null;
  private qc: QueryClient | null = null;
  private me: string | null = null;
  /**
   * Messages waiting to go out, as client_ids in the order they were typed (all rooms). One is
   * in flight at a time: the next is sent after its ack, so a message the server holds back
   * (rate_limited, unavailable) holds back every message typed after it, and readers always see
   * them in the order typed.
   */
  private outbox: string[] = [];
  private inflight: string | null = null;
  private inflightTimer: ReturnType<typeof setTimeout> | null = null;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private holds = 0;
  /** Heartbeat: a frame every `everyMs`; no answer within `timeoutMs` = lost (heartbeatTiming). */
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private pingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSent: Record<string, number> = {};
  private onOffline = () => this.lost();
  private onOnline = () => this.ensure();

  start(qc: QueryClient, me: string) {
    this.qc = qc;
    if (!this.stopped && this.me === me) return;
    this.stop();
    this.me = me;
    this.stopped = false;
    this.attempts = 0;
    window.addEventListener("offline", this.onOffline);
    window.addEventListener("online", this.onOnline);
    void this.connect();
  }

  stop() {
    this.stopped = true;
    this.attempt = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopHeartbeat();
    this.clearInflight();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.outbox = [];
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", this.onOffline);
      window.removeEventListener("online", this.onOnline);
    }
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.close(1000);
    }
    resetMessages();
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
      ticket = (await unwrap(api.POST("/api/chats/ws-ticket/"))).ticket;
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
      this.startHeartbeat(ws);
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
      this.stopHeartbeat();
      // What was in flight goes out again, first, on the next socket (same client_id: stored once).
      this.clearInflight();
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

  private scheduleReconnect(status: "reconnecting" | "lost" = "reconnecting") {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    useChat.setState({ status });
    // Exponential backoff with full jitter, capped at 30 s.
    const base = Math.min(30_000, 500 * 2 ** this.attempts);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  /** After (re)connecting: catch up over HTTP, then mark the open room read. */
  private async catchUp() {
    const qc = this.qc;
    if (!qc) return;
    await catchUp(qc);
    const active = useChat.getState().activeRoom;
    if (active) this.markRead(active);
  }

  /** After a (re)connect: every pending message goes out again, in the order typed. */
  private resendPending() {
    const queued = new Set(this.outbox);
    const missing = Object.values(useChat.getState().pending)
      .flat()
      .filter((p) => p.state === "sending" && !queued.has(p.client_id));
    this.outbox.push(...missing.map((p) => p.client_id));
    this.pump();
  }

  /** Sends the head of the outbox when nothing is in flight or held. */
  private pump() {
    if (this.inflight || this.holdTimer) return;
    while (this.outbox.length > 0) {
      const p = findPending(this.outbox[0]);
      if (p && p.state === "sending") break;
      this.outbox.shift(); // acknowledged, failed or forgotten meanwhile
    }
    const head = this.outbox[0];
    if (!head) return;
    const p = findPending(head);
    if (!p || !this.sendFrame(p)) {
      this.ensure();
      return;
    }
    this.inflight = head;
    // No answer in time: the socket is dead without knowing it. Drop it; the reconnect resends.
    this.inflightTimer = setTimeout(() => this.lost(), SEND_TIMEOUT_MS);
  }

  private clearInflight() {
    this.inflight = null;
    if (this.inflightTimer) clearTimeout(this.inflightTimer);
    this.inflightTimer = null;
  }

  /** The message in flight was stored (ack or its echo): the next one may go. */
  private settled(clientId: string | null | undefined) {
    if (!clientId) return;
    this.outbox = this.outbox.filter((id) => id !== clientId);
    if (this.inflight === clientId) {
      this.clearInflight();
      this.holds = 0;
      this.pump();
    }
  }

  /** The server held the message back: it and everything typed after it wait, then retry. */
  private hold(clientId: string) {
    if (this.inflight === clientId) this.clearInflight();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    const delay = Math.min(8_000, 1_000 * 1.5 ** this.holds);
    this.holds += 1;
    useChat.setState({ held: clientId });
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      useChat.setState({ held: null });
      this.pump();
    }, delay);
  }

  private startHeartbeat(ws: WebSocket) {
    this.stopHeartbeat();
    const { everyMs, timeoutMs } = heartbeatTiming();
    this.heartbeat = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN || this.pingTimer) return;
      // The API has no ping frame yet: any frame is answered, an unknown type with an error
      // frame without client_id, which is taken as the pong (and not shown).
      ws.send(JSON.stringify({ type: "ping" }));
      this.pingTimer = setTimeout(() => this.lost(), timeoutMs);
    }, everyMs);
  }

  private stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }

  private pong(): boolean {
    if (!this.pingTimer) return false;
    clearTimeout(this.pingTimer);
    this.pingTimer = null;
    return true;
  }

  /** The connection is gone (no answer, or the browser went offline): say so and reconnect. */
  private lost() {
    if (this.stopped) return;
    useChat.setState({ status: "lost" });
    const ws = this.ws;
    this.stopHeartbeat();
    this.clearInflight();
    if (ws) {
      this.ws = null;
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    }
    this.scheduleReconnect("lost");
  }

  private sendFrame(p: PendingMessage): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(
      JSON.stringify({
        type: "message.send",
        room: p.room,
        text: p.text,
        client_id: p.client_id,
        ...(p.image ? { image: p.image } : {}),
      }),
    );
    return true;
  }

  /** The user is typing in `room`: tell the others, at most every TYPING_EVERY_MS. */
  typing(room: string) {
    const now = Date.now();
    if (now - (this.typingSent[room] ?? 0) < TYPING_EVERY_MS) return;
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.typingSent[room] = now;
    this.ws.send(JSON.stringify({ type: "typing", room }));
  }

  send(room: string, text: string, image?: { uuid: string; preview?: string }) {
    const p: PendingMessage = {
      client_id: newClientId(),
      room,
      text,
      state: "sending",
      ...(image ? { image: image.uuid, preview: image.preview } : {}),
    };
    addPending(p);
    // Queued behind what was typed before; not open: it goes out on the next open.
    this.outbox.push(p.client_id);
    this.pump();
  }

  retry(p: PendingMessage) {
    setPending(p.room, p.client_id, { state: "sending", error: undefined });
    if (!this.outbox.includes(p.client_id)) this.outbox.push(p.client_id);
    this.pump();
  }

  markRead(room: string, seq?: number) {
    patchRoomRead(this.qc, room, seq ?? maxSeq(room), seq);
    if (this.me) patchMemberRead(this.qc, room, this.me, seq ?? maxSeq(room));
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(seq ? { type: "room.read", room, seq } : { type: "room.read", room }));
    } else {
      void unwrap(
        api.POST("/api/chats/rooms/{uuid}/read/", {
          params: { path: { uuid: room } },
          body: seq ? { seq } : {},
        }),
      ).catch(() => undefined);
    }
  }

  private onFrame(frame: Frame) {
    const qc = this.qc;
    switch (frame.type) {
      case "message.ack": {
        addMessages(frame.message.room, [frame.message]);
        removePending(frame.message.room, frame.client_id);
        patchRoomWithMessage(qc, frame.message, this.me);
        this.settled(frame.client_id);
        break;
      }
      case "pong": {
        this.pong();
        break;
      }
      case "message": {
        const held = contiguousSeq(frame.room);
        addMessages(frame.room, [frame.message]);
        // A skipped number means a message did not ring (a broker hiccup): fetch the hole.
        if (held > 0 && frame.message.seq > held + 1) void fetchAfter(frame.room).catch(() => undefined);
        removePending(frame.room, frame.message.client_id, frame.message.sender?.handle === this.me);
        if (frame.message.sender?.handle === this.me) this.settled(frame.message.client_id);
        const viewing =
          useChat.getState().activeRoom === frame.room && document.visibilityState === "visible";
        patchRoomWithMessage(qc, frame.message, viewing ? frame.message.sender?.handle ?? null : this.me);
        // Sending reads the room for the sender (receipts), and ends their typing hint.
        if (frame.message.sender) {
          patchMemberRead(qc, frame.room, frame.message.sender.handle, frame.message.seq);
          setTyping(frame.room, frame.message.sender.handle, "", null);
        }
        if (viewing && frame.message.sender?.handle !== this.me) this.markRead(frame.room, frame.message.seq);
        if (!findRoom(qc, frame.room)) void qc?.invalidateQueries({ queryKey: roomsKey });
        break;
      }
      case "member.read": {
        patchMemberRead(qc, frame.room, frame.handle, frame.seq);
        break;
      }
      case "typing": {
        setTyping(frame.room, frame.handle, frame.display_name || frame.handle, frame.expires_in);
        break;
      }
      case "message.deleted":
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
        if (this.me) patchMemberRead(qc, frame.room, this.me, frame.seq);
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
        // The heartbeat's answer (see startHeartbeat), not something to show.
        if (!frame.client_id && frame.code === "unknown_type" && this.pong()) break;
        if (frame.client_id) {
          const p = findPending(frame.client_id);
          if (p && (frame.code === "rate_limited" || frame.code === "unavailable")) {
            // Held back: the same client_id later (stored once), and nothing typed after it
            // goes first. Shown next to the message, not as an error.
            this.hold(p.client_id);
            break;
          }
          if (p) {
            setPending(p.room, p.client_id, { state: "failed", error: frame.code });
            this.outbox = this.outbox.filter((id) => id !== p.client_id);
            if (this.inflight === p.client_id) {
              this.clearInflight();
              this.pump();
            }
          }
        }
        useChat.setState({ error: { code: frame.code, detail: frame.detail ?? "", at: Date.now() } });
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
  | { type: "message.hidden" | "message.unhidden" | "message.deleted"; room: string; message: ChatMessage }
  | { type: "member.read"; room: string; handle: string; seq: number }
  | { type: "typing"; room: string; handle: string; display_name: string; expires_in: number }
  | { type: "room.read"; room: string; seq: number }
  | { type: "room.joined" | "room.left"; room: string }
  | { type: "room.members"; room: string; joined: string[]; left: string[] }
  | { type: "session.revoked" }
  | { type: "error"; code: string; detail?: string; client_id?: string }
  | { type: "pong" }
  | { type: "notification"; notification: Notification };

export const chatConnection = new ChatConnection();
