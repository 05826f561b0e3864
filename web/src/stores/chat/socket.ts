"use client";

import type { QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { applyNotificationFrame } from "@/api/notifications";
import type { ChatMessage, Notification } from "@/api/types";
import { useAuth } from "@/stores/auth";
import {
  findRoom,
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
  useChat,
  type PendingMessage,
} from "@/stores/chat/messages";

/**
 * The socket: one WebSocket per user, shared by every page (docs/chat.md). It connects with a
 * one-time ticket, reconnects with backoff, sends and re-sends pending messages, and hands each
 * frame to the message store and the cache patching; after every (re)connect `catchUp` fetches
 * what the socket missed.
 */

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

  /** After (re)connecting: catch up over HTTP, then mark the open room read. */
  private async catchUp() {
    const qc = this.qc;
    if (!qc) return;
    await catchUp(qc);
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
    addPending(p);
    // Not open: it goes out with its client_id on the next open (resendPending).
    if (!this.sendFrame(p)) this.ensure();
  }

  retry(p: PendingMessage) {
    setPending(p.room, p.client_id, { state: "sending", error: undefined });
    if (!this.sendFrame(p)) this.ensure();
  }

  markRead(room: string, seq?: number) {
    patchRoomRead(this.qc, room, seq ?? maxSeq(room), seq);
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

export const chatConnection = new ChatConnection();
