"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { roomTitle, useCreateRoom, useRooms } from "@/api/chat";
import { errorText, fieldErrors, toApiError, type ApiError } from "@/api/errors";
import type { ChatMessage, Room } from "@/api/types";
import { listTime } from "@/components/chat/format";
import { ProductStatusBadge } from "@/components/chat/product-card";
import { UserPicker } from "@/components/chat/user-picker";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { Avatar, ResponsiveImage } from "@/components/ui/responsive-image";
import { useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";

/** Handles typed by hand ("@a, b"), for tests and old links. */
export function parseHandles(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((h) => h.trim().replace(/^@/, ""))
    .filter(Boolean)
    .slice(0, 50);
}

type Picked = Parameters<typeof UserPicker>[0]["picked"];

function NewRoomForm() {
  const t = useT();
  const router = useRouter();
  const create = useCreateRoom();
  const [picked, setPicked] = useState<Picked>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const members = picked.map((u) => u.handle);
    if (members.length === 0) return;
    setError(null);
    create.mutate(
      { members },
      {
        onSuccess: (room) => {
          setPicked([]);
          router.push(`/chat/${room.uuid}`);
        },
        onError: (err) => setError(toApiError(err)),
      },
    );
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1.5 border-b border-stone-200 p-3">
      <div className="flex items-start gap-2">
        <UserPicker picked={picked} onChange={setPicked} testId="new-room-picker" />
        <Button size="sm" type="submit" disabled={create.isPending || picked.length === 0} data-testid="new-room-start">
          {t("chat.start")}
        </Button>
      </div>
      {error && (
        <FormMessage kind="error">
          {fieldErrors(error, "members")?.join(" ") || errorText(error)}
        </FormMessage>
      )}
    </form>
  );
}

/** What the list shows of the last message (placeholders in the UI language). */
export function messagePreview(m: ChatMessage, t: ReturnType<typeof useT>): string {
  if (m.hidden) return t("chat.hidden");
  if (m.deleted) return t("chat.deleted");
  if (m.image && !m.text) return t("chat.photo");
  return m.image ? `${t("chat.photo")} · ${m.text}` : m.text;
}

function RoomItem({ room, active }: { room: Room; active: boolean }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const me = useAuth((s) => s.user?.handle);
  const others = room.members.filter((m) => m.handle !== me);
  const face = others[0] ?? room.members[0];
  const last = room.last_message;
  return (
    <Link
      href={`/chat/${room.uuid}`}
      data-testid="room-item"
      data-room={room.uuid}
      className={cn(
        "flex min-w-0 items-center gap-2.5 border-b border-stone-100 px-3 py-2.5 hover:bg-orange-50",
        active && "bg-orange-50",
      )}
    >
      <span className="relative shrink-0" data-testid="room-avatar">
        <Avatar user={face} size={40} />
        {others.length > 1 && (
          <span className="absolute -bottom-1 -right-1 rounded-full bg-white px-1 text-[10px] font-semibold text-stone-600 shadow">
            {room.members.length}
          </span>
        )}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-baseline gap-2">
          <span className="min-w-0 flex-1 truncate text-sm font-medium text-stone-900">{roomTitle(room, me)}</span>
          <span className="shrink-0 text-[11px] text-stone-400" data-testid="room-time">
            {listTime(last?.created_at ?? room.updated_at, locale)}
          </span>
        </div>
        {room.product && (
          <div className="flex min-w-0 items-center gap-1 text-[11px] text-stone-500" data-testid="room-product">
            <ProductStatusBadge status={room.product.status} />
            <span className="truncate">{room.product.name}</span>
          </div>
        )}
        <div className="flex min-w-0 items-center gap-2">
          <span className="min-w-0 flex-1 truncate text-xs text-stone-500" data-testid="room-last-message">
            {last
              ? `${others.length > 1 ? `${last.sender?.display_name || last.sender?.handle}: ` : ""}${messagePreview(last, t)}`
              : t("chat.noMessages")}
          </span>
          {room.unread_count > 0 && (
            <span
              data-testid="unread-badge"
              aria-label={t("chat.unread", { n: room.unread_count })}
              className="min-w-5 shrink-0 rounded-full bg-orange-500 px-1.5 text-center text-xs font-semibold leading-5 text-white"
            >
              {room.unread_count > 99 ? "99+" : room.unread_count}
            </span>
          )}
        </div>
      </div>
      {room.product?.image && (
        <span className="h-10 w-10 shrink-0 overflow-hidden rounded-md bg-stone-200">
          <ResponsiveImage image={room.product.image} alt={room.product.name} sizes="40px" className="h-full w-full" />
        </span>
      )}
    </Link>
  );
}

export function RoomList({ active }: { active?: string }) {
  const t = useT();
  const query = useRooms();
  const rooms = query.data?.pages.flatMap((p) => p.results) ?? [];
  return (
    <div className="flex h-full flex-col" data-testid="room-list">
      <h2 className="border-b border-stone-200 px-3 py-2 text-sm font-semibold text-stone-700">
        {t("chat.rooms")}
      </h2>
      <NewRoomForm />
      {query.isPending ? (
        <Spinner label={t("common.loading")} />
      ) : query.isError ? (
        <FormMessage kind="error">{t("common.error")}</FormMessage>
      ) : rooms.length === 0 ? (
        <p className="p-4 text-sm text-stone-500">{t("chat.noRooms")}</p>
      ) : (
        <ul className="flex-1 overflow-y-auto">
          {rooms.map((room) => (
            <li key={room.uuid}>
              <RoomItem room={room} active={active === room.uuid} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
