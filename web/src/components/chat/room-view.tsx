"use client";

import { useRouter } from "next/navigation";
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { roomTitle, useInviteMembers, useLeaveRoom, useRoom } from "@/api/chat";
import { errorText, fieldErrors, toApiError, type ApiError } from "@/api/errors";
import type { ChatMessage } from "@/api/types";
import { parseHandles } from "@/components/chat/room-list";
import { ReportButton } from "@/components/reports/report-button";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";
import { chatConnection, loadOlder, useChat, type PendingMessage } from "@/stores/chat";

const EMPTY_MESSAGES: ChatMessage[] = [];
const EMPTY_PENDING: PendingMessage[] = [];

function time(iso: string, locale: string) {
  return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", {
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

function InviteForm({ uuid, onDone }: { uuid: string; onDone: () => void }) {
  const t = useT();
  const invite = useInviteMembers(uuid);
  const [value, setValue] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const members = parseHandles(value);
    if (members.length === 0) return;
    invite.mutate(members, {
      onSuccess: () => {
        setValue("");
        onDone();
      },
      onError: (err) => setError(toApiError(err)),
    });
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1 border-b border-stone-200 p-3">
      <div className="flex gap-2">
        <input
          aria-label={t("chat.inviteHandles")}
          placeholder={t("chat.inviteHandles")}
          value={value}
          maxLength={1000}
          onChange={(e) => setValue(e.target.value)}
          className="h-8 min-w-0 flex-1 rounded-lg border border-stone-300 px-2 text-sm"
        />
        <Button size="sm" type="submit" disabled={invite.isPending}>
          {t("chat.invite")}
        </Button>
      </div>
      {error && (
        <FormMessage kind="error">{fieldErrors(error, "members")?.join(" ") || errorText(error)}</FormMessage>
      )}
    </form>
  );
}

export function RoomView({ uuid }: { uuid: string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const router = useRouter();
  const me = useAuth((s) => s.user?.handle);
  const room = useRoom(uuid);
  const leave = useLeaveRoom(uuid);
  const messages = useChat((s) => s.messages[uuid] ?? EMPTY_MESSAGES);
  const pending = useChat((s) => s.pending[uuid] ?? EMPTY_PENDING);
  const historyNext = useChat((s) => s.historyNext[uuid]);
  const loading = useChat((s) => s.loadingHistory[uuid] ?? false);
  const status = useChat((s) => s.status);
  const held = useChat((s) => s.held);
  const [text, setText] = useState("");
  const [inviting, setInviting] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const prevHeight = useRef<number | null>(null);

  // The room on screen: new messages in it are read at once.
  useEffect(() => {
    useChat.setState({ activeRoom: uuid });
    return () => useChat.setState((s) => (s.activeRoom === uuid ? { activeRoom: null } : s));
  }, [uuid]);

  useEffect(() => {
    if (historyNext === undefined) void loadOlder(uuid).catch(() => undefined);
  }, [uuid, historyNext]);

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

  if (room.isPending) return <Spinner label={t("common.loading")} />;
  if (room.isError) {
    return <FormMessage kind="error">{toApiError(room.error).status === 404 ? t("common.notFound") : t("common.error")}</FormMessage>;
  }
  const data = room.data;

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
            {data.members.map((m) => `@${m.handle}`).join(" ")}
          </p>
        </div>
        <Button size="sm" variant="secondary" onClick={() => setInviting((v) => !v)}>
          {t("chat.invite")}
        </Button>
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
      {inviting && <InviteForm uuid={uuid} onDone={() => setInviting(false)} />}
      <div ref={scroller} onScroll={onScroll} className="min-w-0 flex-1 overflow-y-auto overflow-x-hidden overscroll-contain px-3 py-2" data-testid="message-list">
        <div ref={top} />
        {loading && <Spinner label={t("chat.loadingOlder")} />}
        {historyNext === null && messages.length > 0 && (
          <p className="py-2 text-center text-xs text-stone-400">{t("chat.start_of_history")}</p>
        )}
        {historyNext === null && messages.length === 0 && pending.length === 0 && (
          <p className="py-10 text-center text-sm text-stone-500">{t("chat.noMessages")}</p>
        )}
        <ul className="flex flex-col gap-1.5">
          {messages.map((m) => {
            const mine = m.sender?.handle === me;
            return (
              <li
                key={m.uuid}
                data-testid="chat-message"
                data-seq={m.seq}
                data-mine={mine ? "true" : "false"}
                className={cn("group flex min-w-0 flex-col", mine ? "items-end" : "items-start")}
              >
                {!mine && <span className="text-[11px] text-stone-500">{m.sender?.display_name || m.sender?.handle}</span>}
                <div className="flex max-w-full min-w-0 items-end gap-1.5">
                  {mine && <span className="shrink-0 text-[10px] text-stone-400">{time(m.created_at, locale)}</span>}
                  <p
                    className={cn(
                      "min-w-0 max-w-[85%] whitespace-pre-wrap rounded-2xl px-3 py-1.5 text-sm [overflow-wrap:anywhere] md:max-w-md",
                      m.hidden ? "italic text-stone-400 bg-stone-100" : mine ? "bg-orange-500 text-white" : "bg-stone-100 text-stone-900",
                    )}
                  >
                    {m.hidden ? t("chat.hidden") : m.text}
                  </p>
                  {!mine && <span className="shrink-0 text-[10px] text-stone-400">{time(m.created_at, locale)}</span>}
                  {!mine && !m.hidden && (
                    <ReportButton
                      targetType="chat_message"
                      target={m.uuid}
                      className="shrink-0 [@media(hover:hover)]:opacity-0 [@media(hover:hover)]:group-hover:opacity-100 [@media(hover:hover)]:focus:opacity-100"
                    />
                  )}
                </div>
              </li>
            );
          })}
          {pending.map((p) => (
            <li key={p.client_id} className="flex flex-col items-end" data-testid="pending-message" data-state={p.state}>
              <p className="max-w-[85%] whitespace-pre-wrap rounded-2xl bg-orange-300 px-3 py-1.5 text-sm text-white [overflow-wrap:anywhere] md:max-w-md">
                {p.text}
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
      {(status === "lost" || status === "reconnecting") && (
        <p
          role="status"
          data-testid="chat-connection-lost"
          className="border-t border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800"
        >
          {t("chat.connectionLost")}
        </p>
      )}
      <form onSubmit={send} className="flex min-w-0 items-end gap-2 border-t border-stone-200 p-2">
        <textarea
          aria-label={t("chat.placeholder")}
          placeholder={t("chat.placeholder")}
          value={text}
          rows={1}
          maxLength={2000}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          className="max-h-32 min-h-10 min-w-0 flex-1 resize-none rounded-xl border border-stone-300 px-3 py-2 text-base sm:text-sm"
          data-testid="chat-input"
        />
        <Button type="submit" disabled={!text.trim()} data-testid="chat-send">
          {t("chat.send")}
        </Button>
      </form>
    </div>
  );
}
