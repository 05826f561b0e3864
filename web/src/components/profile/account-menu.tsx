"use client";

import { useEffect, useRef, useState } from "react";
import { useBlock, useMute } from "@/api/accounts";
import type { User } from "@/api/types";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";

/**
 * "⋯" on another user's profile: block/unblock (from `is_blocked`) and mute/unmute (from
 * `is_muted`).
 */
export function AccountMenu({ user }: { user: User }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [muted, setMuted] = useState(user.is_muted);
  const [notice, setNotice] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const block = useBlock(user.handle);
  const mute = useMute(user.handle);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const done = (msg: string) => ({
    onSuccess: () => {
      setFailed(false);
      setNotice(msg);
    },
    onError: () => {
      setFailed(true);
      setNotice(t("common.error"));
    },
  });

  const onBlock = () => {
    setOpen(false);
    if (user.is_blocked) block.mutate(false, done(t("account.unblocked")));
    else if (window.confirm(t("account.confirmBlock", { handle: user.handle }))) {
      block.mutate(true, done(t("account.blocked")));
    }
  };
  const onMute = () => {
    setOpen(false);
    const next = !muted;
    const handlers = done(next ? t("account.muted") : t("account.unmuted"));
    mute.mutate(next, {
      onError: handlers.onError,
      onSuccess: () => {
        setMuted(next);
        handlers.onSuccess();
      },
    });
  };

  const item = "block w-full px-3 py-2 text-left text-sm hover:bg-stone-100 disabled:opacity-50";
  return (
    <div ref={root} className="relative self-center">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t("account.menu")}
        data-testid="profile-menu"
        onClick={() => setOpen((o) => !o)}
        className="rounded-lg px-2 py-1 text-lg leading-none text-stone-500 hover:bg-stone-100"
      >
        ⋯
      </button>
      {open && (
        <div role="menu" className="absolute right-0 z-30 mt-1 w-40 overflow-hidden rounded-xl border border-stone-200 bg-white shadow-lg">
          <button type="button" role="menuitem" className={item} data-testid="block-toggle"
            disabled={block.isPending} onClick={onBlock}>
            <span className="text-red-600">{user.is_blocked ? t("account.unblock") : t("account.block")}</span>
          </button>
          <button type="button" role="menuitem" className={item} data-testid="mute-toggle"
            disabled={mute.isPending} onClick={onMute}>
            {muted ? t("account.unmute") : t("account.mute")}
          </button>
        </div>
      )}
      {notice && (
        <div className="absolute right-0 top-full z-20 mt-1 w-60" data-testid="account-notice">
          <FormMessage kind={failed ? "error" : "success"}>{notice}</FormMessage>
        </div>
      )}
    </div>
  );
}
