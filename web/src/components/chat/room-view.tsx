"use client";

import { useRouter } from "next/navigation";
import {
  Fragment,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { roomTitle, useDeleteMessage, useInviteMembers, useLeaveRoom, useRoom } from "@/api/chat";
import { errorText, fieldErrors, toApiError, type ApiError } from "@/api/errors";
import { checkFile, uploadImage } from "@/api/images";
import type { ChatMessage, ImageRef, Room } from "@/api/types";
import { clock, dayKey, dayLabel, minuteKey } from "@/components/chat/format";
import { ChatProductCard } from "@/components/chat/product-card";
import { UserPicker } from "@/components/chat/user-picker";
import { ReportButton } from "@/components/reports/report-button";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { Avatar, ResponsiveImage } from "@/components/ui/responsive-image";
import { useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";
import { chatConnection, loadOlder, useChat, type PendingMessage } from "@/stores/chat";

const EMPTY_MESSAGES: ChatMessage[] = [];
const EMPTY_PENDING: PendingMessage[] = [];
const EMPTY_TYPING: Record<string, { name: string; until: number }> = {};
const DELETE_WINDOW_MS = 10 * 60 * 1000;

type Picked = Parameters<typeof UserPicker>[0]["picked"];

function InviteForm({ room, onDone }: { room: Room; onDone: () => void }) {
  const t = useT();
  const invite = useInviteMembers(room.uuid);
  const [picked, setPicked] = useState<Picked>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const members = picked.map((u) => u.handle);
    if (members.length === 0) return;
    invite.mutate(members, {
      onSuccess: () => {
        setPicked([]);
        onDone();
      },
      onError: (err) => setError(toApiError(err)),
    });
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1 border-b border-stone-200 p-3">
      <div className="flex items-start gap-2">
        <UserPicker
          picked={picked}
          onChange={setPicked}
          exclude={room.members.map((m) => m.handle)}
          label={t("chat.inviteHandles")}
          testId="invite-picker"
        />
        <Button size="sm" type="submit" disabled={invite.isPending || picked.length === 0} data-testid="invite-submit">
          {t("chat.invite")}
        </Button>
      </div>
      {error && (
        <FormMessage kind="error">{fieldErrors(error, "members")?.join(" ") || errorText(error)}</FormMessage>
      )}
    </form>
  );
}

/** A full-size photo over the page; Escape or a click closes it. */
function PhotoViewer({ image, onClose }: { image: ImageRef; onClose: () => void }) {
  const t = useT();
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label={t("chat.openPhoto")}
      data-testid="photo-viewer"
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/85 p-4"
      onClick={onClose}
    >
      <button type="button" className="absolute right-3 top-3 text-2xl text-white" aria-label={t("chat.closePhoto")} onClick={onClose}>
        ×
      </button>
      <ResponsiveImage image={image} alt={t("chat.photo")} sizes="100vw" className="max-h-full max-w-full object-contain" />
    </div>
  );
}

/** KakaoTalk's "1": members other than the sender whose read mark is below the message. */
function unreadOf(m: ChatMessage, room: Room): number {
  if (room.members.length === 0) return m.unread_count;
  return room.members.filter((x) => x.handle !== m.sender?.handle && x.last_read_seq < m.seq).length;
}

function Bubble({ m, mine, onOpen }: { m: ChatMessage; mine: boolean; onOpen: (image: ImageRef) => void }) {
  const t = useT();
  if (m.hidden || m.deleted) {
    return (
      <p
        data-testid={m.deleted ? "chat-deleted" : "chat-hidden"}
        className="min-w-0 max-w-[85%] rounded-2xl bg-stone-100 px-3 py-1.5 text-sm italic text-stone-400 md:max-w-md"
      >
        {m.deleted && !m.hidden ? t("chat.deleted") : t("chat.hidden")}
      </p>
    );
  }
  return (
    <div className={cn("flex min-w-0 max-w-[85%] flex-col gap-1 md:max-w-md", mine ? "items-end" : "items-start")}>
      {m.image && (
        <button
          type="button"
          data-testid="chat-photo"
          aria-label={t("chat.openPhoto")}
          onClick={() => m.image && onOpen(m.image)}
          className="block h-48 w-48 max-w-full overflow-hidden rounded-2xl bg-stone-200 sm:h-56 sm:w-56"
        >
          <ResponsiveImage image={m.image} alt={t("chat.photo")} sizes="224px" className="h-full w-full" />
        </button>
      )}
      {m.text && (
        <p
          className={cn(
            "min-w-0 max-w-full whitespace-pre-wrap rounded-2xl px-3 py-1.5 text-sm [overflow-wrap:anywhere]",
            mine ? "bg-orange-500 text-white" : "bg-stone-100 text-stone-900",
          )}
        >
          {m.text}
        </p>
      )}
    </div>
  );
}

/** The time, refreshed every `everyMs` (not at all when null). */
function useNow(everyMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (everyMs === null) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function TypingLine({ room }: { room: string }) {
  const t = useT();
  const typing = useChat((s) => s.typing[room] ?? EMPTY_TYPING);
  const now = useNow(Object.keys(typing).length > 0 ? 500 : null);
  const active = Object.values(typing).filter((x) => x.until > now);
  if (active.length === 0) return null;
  return (
    <p role="status" data-testid="typing-indicator" className="px-3 pb-1 text-xs text-stone-500">
      {active.length === 1 ? t("chat.typing", { name: active[0].name }) : t("chat.typingMany")}
    </p>
  );
}

export function RoomView({ uuid }: { uuid: string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const router = useRouter();
  const me = useAuth((s) => s.user?.handle);
  const room = useRoom(uuid);
  const leave = useLeaveRoom(uuid);
  const remove = useDeleteMessage(uuid);
  const messages = useChat((s) => s.messages[uuid] ?? EMPTY_MESSAGES);
  const pending = useChat((s) => s.pending[uuid] ?? EMPTY_PENDING);
  const historyNext = useChat((s) => s.historyNext[uuid]);
  const loading = useChat((s) => s.loadingHistory[uuid] ?? false);
  const status = useChat((s) => s.status);
  const held = useChat((s) => s.held);
  const [text, setText] = useState("");
  const [inviting, setInviting] = useState(false);
  const [viewing, setViewing] = useState<ImageRef | null>(null);
  const [uploading, setUploading] = useState(false);
  const [roomError, setRoomError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const prevHeight = useRef<number | null>(null);
  const now = useNow(30_000);

  // The room on screen: new messages in it are read at once.
  useEffect(() => {
    useChat.setState({ activeRoom: uuid });
    return () => useChat.setState((s) => (s.activeRoom === uuid ? { activeRoom: null } : s));
  }, [uuid]);

  // The first page of history, tried again after a failure (a phone's network drop, a request
  // cut off while the page loads): once 1 s later, then twice as long each time up to 30 s.
  // Without this one failed request left the room empty until the user navigated away.
  const [historyTries, setHistoryTries] = useState(0);
  useEffect(() => {
    if (historyNext !== undefined) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    loadOlder(uuid).catch(() => {
      if (cancelled) return;
      const wait = Math.min(30_000, 1000 * 2 ** historyTries);
      timer = setTimeout(() => setHistoryTries((n) => n + 1), wait);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [uuid, historyNext, historyTries]);

  const lastSeq = messages.length > 0 ? messages[messages.length - 1].seq : 0;
  const unread = room.data?.unread_count ?? 0;
  useEffect(() => {
    if (lastSeq > 0 && unread > 0 && document.visibilityState === "visible") {
      chatConnection.markRead(uuid, lastSeq);
    }
  }, [uuid, lastSeq, unread]);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") chatConnection.markRead(uuid);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [uuid]);

  // Older pages when the top comes into view; keep the reading position when they are prepended.
  useEffect(() => {
    const el = top.current;
    if (!el || !historyNext) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && scroller.current) {
          prevHeight.current = scroller.current.scrollHeight;
          void loadOlder(uuid).catch(() => undefined);
        }
      },
      { root: scroller.current, rootMargin: "200px 0px 0px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [uuid, historyNext]);

  const firstSeq = messages.length > 0 ? messages[0].seq : 0;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevHeight.current !== null) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
      prevHeight.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [firstSeq, lastSeq, pending.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };

  const send = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || value.length > 2000) return;
    stickToBottom.current = true;
    chatConnection.send(uuid, value);
    setText("");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) send(e);
  };
  const onType = (e: ChangeEvent<HTMLTextAreaElement>) => {
    setText(e.target.value);
    if (e.target.value.trim()) chatConnection.typing(uuid);
  };
  const onPhoto = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setRoomError(null);
    if (checkFile(file) !== "ok") {
      setRoomError(t("chat.uploadFailed"));
      return;
    }
    setUploading(true);
    try {
      const image = await uploadImage(file, () => undefined);
      stickToBottom.current = true;
      chatConnection.send(uuid, "", { uuid: image.uuid });
    } catch {
      setRoomError(t("chat.uploadFailed"));
    } finally {
      setUploading(false);
    }
  };
  const onDelete = (m: ChatMessage) => {
    if (!window.confirm(t("chat.confirmDelete"))) return;
    setRoomError(null);
    remove.mutate(m.uuid, { onError: (err) => setRoomError(errorText(toApiError(err))) });
  };

  if (room.isPending) return <Spinner label={t("common.loading")} />;
  if (room.isError) {
    return <FormMessage kind="error">{toApiError(room.error).status === 404 ? t("common.notFound") : t("common.error")}</FormMessage>;
  }
  const data = room.data;
  const members = new Map(data.members.map((x) => [x.handle, x]));
  const isProductRoom = data.product !== null;

  return (
    <div className="flex h-full min-w-0 flex-col" data-testid="chat-room">
      <header className="flex min-w-0 items-center gap-1.5 border-b border-stone-200 px-2 py-2 sm:gap-2 sm:px-3">
        <button
          type="button"
          aria-label={t("chat.back")}
          className="shrink-0 px-1 text-sm text-stone-500 md:hidden"
          onClick={() => router.push("/chat")}
        >
          ←
        </button>
        <div className="min-w-0 flex-1">
          <h1 className="truncate font-semibold text-stone-900" data-testid="room-title">{roomTitle(data, me)}</h1>
          <p className="truncate text-xs text-stone-500">
            {t("chat.members", { n: data.members.length })} ·{" "}
            {data.members.map((x) => `@${x.handle}`).join(" ")}
          </p>
        </div>
        {!isProductRoom && (
          <Button size="sm" variant="secondary" onClick={() => setInviting((v) => !v)} data-testid="chat-invite">
            {t("chat.invite")}
          </Button>
        )}
        <Button
          size="sm"
          variant="ghost"
          data-testid="chat-leave"
          disabled={leave.isPending}
          onClick={() => {
            if (window.confirm(t("chat.confirmLeave"))) {
              leave.mutate(undefined, { onSuccess: () => router.push("/chat") });
            }
          }}
        >
          {t("chat.leave")}
        </Button>
      </header>
      {data.product && <ChatProductCard product={data.product} />}
      {inviting && <InviteForm room={data} onDone={() => setInviting(false)} />}
      <div ref={scroller} onScroll={onScroll} className="min-w-0 flex-1 overflow-y-auto overflow-x-hidden overscroll-contain px-3 py-2" data-testid="message-list">
        <div ref={top} />
        {loading && <Spinner label={t("chat.loadingOlder")} />}
        {historyNext === null && messages.length > 0 && (
          <p className="py-2 text-center text-xs text-stone-400">{t("chat.start_of_history")}</p>
        )}
        {historyNext === null && messages.length === 0 && pending.length === 0 && (
          <p className="py-10 text-center text-sm text-stone-500">{t("chat.noMessages")}</p>
        )}
        <ul className="flex flex-col">
          {messages.map((m, i) => {
            const prev = messages[i - 1];
            const next = messages[i + 1];
            const mine = m.sender?.handle === me;
            const newDay = !prev || dayKey(prev.created_at) !== dayKey(m.created_at);
            const firstOfRun = newDay || prev?.sender?.handle !== m.sender?.handle;
            // The time goes under the last message of a run sent in the same minute.
            const showTime =
              !next || next.sender?.handle !== m.sender?.handle || minuteKey(next.created_at) !== minuteKey(m.created_at);
            const unreadCount = unreadOf(m, data);
            const canDelete = mine && !m.deleted && !m.hidden && now - new Date(m.created_at).getTime() < DELETE_WINDOW_MS;
            const sender = m.sender ? members.get(m.sender.handle) : undefined;
            return (
              <Fragment key={m.uuid}>
                {newDay && (
                  <li data-testid="date-separator" className="my-3 flex items-center gap-2 text-[11px] text-stone-500">
                    <span className="h-px flex-1 bg-stone-200" />
                    <span className="rounded-full bg-stone-100 px-2 py-0.5">{dayLabel(m.created_at, locale)}</span>
                    <span className="h-px flex-1 bg-stone-200" />
                  </li>
                )}
                <li
                  data-testid="chat-message"
                  data-seq={m.seq}
                  data-uuid={m.uuid}
                  data-mine={mine ? "true" : "false"}
                  data-first={firstOfRun ? "true" : "false"}
                  className={cn("group flex min-w-0 gap-2", mine ? "justify-end" : "justify-start", firstOfRun ? "mt-2" : "mt-0.5")}
                >
                  {!mine && (
                    <span className="w-8 shrink-0">
                      {firstOfRun && (
                        <Avatar
                          user={sender ?? (m.sender ? { ...m.sender, profile_image: null } : null)}
                          size={32}
                        />
                      )}
                    </span>
                  )}
                  <div className={cn("flex min-w-0 flex-1 flex-col", mine ? "items-end" : "items-start")}>
                    {!mine && firstOfRun && (
                      <span className="mb-0.5 text-[11px] text-stone-500" data-testid="chat-sender">
                        {m.sender?.display_name || m.sender?.handle}
                      </span>
                    )}
                    <div className={cn("flex max-w-full min-w-0 items-end gap-1.5", mine && "flex-row-reverse")}>
                      <Bubble m={m} mine={mine} onOpen={setViewing} />
                      <span className={cn("flex shrink-0 flex-col text-[10px] leading-tight", mine ? "items-end" : "items-start")}>
                        {unreadCount > 0 && !m.deleted && (
                          <span
                            data-testid="unread-count"
                            aria-label={t("chat.unreadBy", { n: unreadCount })}
                            className="font-semibold text-orange-500"
                          >
                            {unreadCount}
                          </span>
                        )}
                        {showTime && <span className="text-stone-400">{clock(m.created_at, locale)}</span>}
                      </span>
                      {canDelete && (
                        <button
                          type="button"
                          data-testid="chat-delete"
                          onClick={() => onDelete(m)}
                          className="shrink-0 text-[11px] text-stone-400 hover:text-red-600 [@media(hover:hover)]:opacity-0 [@media(hover:hover)]:group-hover:opacity-100 [@media(hover:hover)]:focus:opacity-100"
                        >
                          {t("chat.delete")}
                        </button>
                      )}
                      {!mine && !m.hidden && !m.deleted && (
                        <ReportButton
                          targetType="chat_message"
                          target={m.uuid}
                          className="shrink-0 [@media(hover:hover)]:opacity-0 [@media(hover:hover)]:group-hover:opacity-100 [@media(hover:hover)]:focus:opacity-100"
                        />
                      )}
                    </div>
                  </div>
                </li>
              </Fragment>
            );
          })}
          {pending.map((p) => (
            <li key={p.client_id} className="mt-1 flex flex-col items-end" data-testid="pending-message" data-state={p.state}>
              <p className="max-w-[85%] whitespace-pre-wrap rounded-2xl bg-orange-300 px-3 py-1.5 text-sm text-white [overflow-wrap:anywhere] md:max-w-md">
                {p.image && !p.text ? t("chat.photo") : p.text}
              </p>
              <span className="text-[10px] text-stone-400">
                {p.state === "sending" ? (
                  p.client_id === held ? t("chat.held") : t("chat.sending")
                ) : (
                  <>
                    <span className="text-red-600">{t("chat.failed")}</span>{" "}
                    <button type="button" className="underline" onClick={() => chatConnection.retry(p)}>
                      {t("chat.retry")}
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <TypingLine room={uuid} />
      {(status === "lost" || status === "reconnecting") && (
        <p
          role="status"
          data-testid="chat-connection-lost"
          className="border-t border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800"
        >
          {t("chat.connectionLost")}
        </p>
      )}
      {(roomError || uploading) && (
        <p
          role={roomError ? "alert" : "status"}
          data-testid={roomError ? "chat-room-error" : "chat-uploading"}
          className={cn("border-t px-3 py-1 text-xs", roomError ? "border-red-200 bg-red-50 text-red-700" : "border-stone-200 text-stone-500")}
        >
          {roomError ?? t("chat.uploading")}
        </p>
      )}
      <form onSubmit={send} className="flex min-w-0 items-end gap-2 border-t border-stone-200 p-2">
        <input
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="hidden"
          data-testid="chat-photo-input"
          onChange={(e) => void onPhoto(e)}
        />
        <Button
          type="button"
          variant="secondary"
          size="icon"
          aria-label={t("chat.attachPhoto")}
          disabled={uploading}
          data-testid="chat-attach"
          onClick={() => fileInput.current?.click()}
        >
          +
        </Button>
        <textarea
          aria-label={t("chat.placeholder")}
          placeholder={t("chat.placeholder")}
          value={text}
          rows={1}
          maxLength={2000}
          onChange={onType}
          onKeyDown={onKeyDown}
          className="max-h-32 min-h-10 min-w-0 flex-1 resize-none rounded-xl border border-stone-300 px-3 py-2 text-base sm:text-sm"
          data-testid="chat-input"
        />
        <Button type="submit" disabled={!text.trim()} data-testid="chat-send">
          {t("chat.send")}
        </Button>
      </form>
      {viewing && <PhotoViewer image={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}
