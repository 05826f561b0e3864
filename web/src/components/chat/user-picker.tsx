"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { api, unwrap } from "@/api/client";
import type { User } from "@/api/types";
import { Avatar } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";

type Picked = Pick<User, "handle" | "display_name" | "profile_image">;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Pick people by typing part of a name or handle (`GET /api/accounts/search/?q=`): suggestions
 * with avatars, chosen ones as removable chips. Enter picks the highlighted suggestion.
 */
export function UserPicker({
  picked,
  onChange,
  exclude = [],
  label,
  testId = "user-picker",
}: {
  picked: Picked[];
  onChange: (users: Picked[]) => void;
  /** Handles never offered (me, members already in the room). */
  exclude?: string[];
  label?: string;
  testId?: string;
}) {
  const t = useT();
  const me = useAuth((s) => s.user?.handle);
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim().replace(/^@/, ""), 200);
  const search = useQuery({
    queryKey: ["accounts", "search", q],
    enabled: q.length > 0,
    staleTime: 30_000,
    queryFn: () => unwrap(api.GET("/api/accounts/search/", { params: { query: { q: q.slice(0, 50) } } })),
  });
  const skip = new Set([...(me ? [me] : []), ...exclude, ...picked.map((p) => p.handle)].map((h) => h.toLowerCase()));
  const suggestions = (search.data ?? []).filter((u) => !skip.has(u.handle.toLowerCase()));

  const pick = (user: Picked) => {
    onChange([...picked, user]);
    setText("");
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, Math.max(0, suggestions.length - 1)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === "Enter" && suggestions.length > 0 && text.trim()) {
      e.preventDefault();
      pick(suggestions[Math.min(active, suggestions.length - 1)]);
    } else if (e.key === "Backspace" && !text && picked.length > 0) {
      onChange(picked.slice(0, -1));
    }
  };

  return (
    <div className="relative min-w-0 flex-1" data-testid={testId}>
      <div className="flex min-h-8 flex-wrap items-center gap-1 rounded-lg border border-stone-300 px-1.5 py-0.5">
        {picked.map((u) => (
          <span
            key={u.handle}
            data-testid="picked-user"
            className="inline-flex max-w-full items-center gap-1 rounded-full bg-orange-100 py-0.5 pl-1 pr-1.5 text-xs text-orange-800"
          >
            <Avatar user={u} size={16} />
            <span className="truncate">{u.display_name || u.handle}</span>
            <button
              type="button"
              aria-label={`${t("chat.remove")} ${u.display_name || u.handle}`}
              onClick={() => onChange(picked.filter((p) => p.handle !== u.handle))}
              className="text-orange-700"
            >
              ×
            </button>
          </span>
        ))}
        <input
          role="combobox"
          aria-expanded={open && suggestions.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-label={label ?? t("chat.searchPeople")}
          placeholder={picked.length === 0 ? (label ?? t("chat.searchPeople")) : ""}
          value={text}
          maxLength={50}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
          data-testid={`${testId}-input`}
          className="h-7 min-w-24 flex-1 border-0 bg-transparent px-1 text-base outline-none sm:text-sm"
        />
      </div>
      {open && q.length > 0 && !search.isPending && (
        <ul
          id={listId}
          role="listbox"
          className="absolute inset-x-0 top-full z-20 mt-1 max-h-64 overflow-y-auto rounded-lg border border-stone-200 bg-white shadow-lg"
        >
          {suggestions.length === 0 ? (
            <li className="px-3 py-2 text-sm text-stone-500">{t("chat.noMatches")}</li>
          ) : (
            suggestions.map((u, i) => (
              <li
                key={u.handle}
                role="option"
                aria-selected={i === active}
                data-testid="user-suggestion"
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(u);
                }}
                className={cn(
                  "flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm",
                  i === active ? "bg-orange-50" : "hover:bg-stone-50",
                )}
              >
                <Avatar user={u} size={28} />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-stone-900">{u.display_name || u.handle}</span>
                  <span className="block truncate text-xs text-stone-500">@{u.handle}</span>
                </span>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
