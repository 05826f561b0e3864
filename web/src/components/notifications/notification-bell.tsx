"use client";

import Link from "next/link";
import { useUnreadCount } from "@/api/notifications";
import { BellIcon } from "@/components/layout/icons";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useChat } from "@/stores/chat";

/** The bell in the header: unread count from the API on load, then kept live by the chat socket. */
export function NotificationBell({ active }: { active: boolean }) {
  const t = useT();
  const count = useUnreadCount();
  const n = count.data ?? 0;
  // The socket's state, for tests and debugging: live counts need it open.
  const socket = useChat((s) => s.status);
  return (
    <Link
      href="/notifications"
      data-testid="nav-notifications"
      data-socket={socket}
      aria-label={n > 0 ? t("notif.bell", { n }) : t("notif.title")}
      title={t("notif.title")}
      className={cn(
        "relative flex items-center rounded-lg p-1.5 text-stone-600 hover:bg-stone-100",
        active && "text-orange-600",
      )}
    >
      <BellIcon className="h-5 w-5" />
      <span
        data-testid="notification-count"
        data-count={n}
        className={cn(
          "absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-orange-500 px-1 text-center text-[10px] font-semibold leading-4 text-white",
          n === 0 && "hidden",
        )}
      >
        {n > 99 ? "99+" : n}
      </span>
    </Link>
  );
}
