"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { roomTitle, useCreateRoom, useRooms } from "@/api/chat";
import { errorText, fieldErrors, toApiError, type ApiError } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";

export function parseHandles(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((h) => h.trim().replace(/^@/, ""))
    .filter(Boolean)
    .slice(0, 50);
}

function NewRoomForm() {
  const t = useT();
  const router = useRouter();
  const create = useCreateRoom();
  const [handles, setHandles] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const members = parseHandles(handles);
    if (members.length === 0) return;
    setError(null);
    create.mutate(
      { members },
      {
        onSuccess: (room) => {
          setHandles("");
          router.push(`/chat/${room.uuid}`);
        },
        onError: (err) => setError(toApiError(err)),
      },
    );
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1.5 border-b border-stone-200 p-3">
      <div className="flex gap-2">
        <input
          aria-label={t("chat.newRoomHandles")}
          placeholder={t("chat.newRoomHandles")}
          value={handles}
          maxLength={1000}
          onChange={(e) => setHandles(e.target.value)}
          className="h-8 min-w-0 flex-1 rounded-lg border border-stone-300 px-2 text-sm"
        />
        <Button size="sm" type="submit" disabled={create.isPending}>
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

export function RoomList({ active }: { active?: string }) {
  const t = useT();
  const me = useAuth((s) => s.user?.handle);
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
              <Link
                href={`/chat/${room.uuid}`}
                data-testid="room-item"
                data-room={room.uuid}
                className={cn(
                  "flex items-center gap-2 border-b border-stone-100 px-3 py-2.5 hover:bg-orange-50",
                  active === room.uuid && "bg-orange-50",
                )}
              >
                <div className="min-w-0 flex-1">
                  <div className="truncate text-sm font-medium text-stone-900">{roomTitle(room, me)}</div>
                  <div className="truncate text-xs text-stone-500" data-testid="room-last-message">
                    {room.last_message
                      ? room.last_message.hidden
                        ? t("chat.hidden")
                        : `${room.last_message.sender?.display_name || room.last_message.sender?.handle}: ${room.last_message.text}`
                      : t("chat.noMessages")}
                  </div>
                </div>
                {room.unread_count > 0 && (
                  <span
                    data-testid="unread-badge"
                    aria-label={t("chat.unread", { n: room.unread_count })}
                    className="min-w-5 rounded-full bg-orange-500 px-1.5 text-center text-xs font-semibold leading-5 text-white"
                  >
                    {room.unread_count > 99 ? "99+" : room.unread_count}
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
