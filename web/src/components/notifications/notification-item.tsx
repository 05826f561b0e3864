"use client";

import Link from "next/link";
import { notificationHref } from "@/api/notifications";
import type { Notification } from "@/api/types";
import { Avatar } from "@/components/ui/responsive-image";
import { RelativeTime } from "@/components/ui/relative-time";
import { useT } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";
import { cn } from "@/lib/cn";

function messageKey(n: Notification): MessageKey {
  if (n.kind === "report_resolved") {
    return n.target.preview === "rejected" ? "notif.report_rejected" : "notif.report_resolved";
  }
  return `notif.${n.kind}`;
}

/** One notification: actor avatar, a sentence in the UI language, the frozen preview, a link. */
export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const t = useT();
  const href = notificationHref(n);
  const actor = n.actor ? `@${n.actor.handle}` : t("notif.someone");
  // report_resolved's preview is a status word, not content: the sentence already says it.
  const preview = n.kind === "report_resolved" ? "" : n.target.preview;
  const body = (
    <>
      <Avatar user={n.actor} size={40} />
      <div className="min-w-0 flex-1">
        <p className="text-sm text-stone-800" data-testid="notification-text">
          {t(messageKey(n), { actor })}
        </p>
        {preview && <p className="truncate text-sm text-stone-500">“{preview}”</p>}
        <p className="mt-0.5 text-xs text-stone-400"><RelativeTime iso={n.created_at} /></p>
      </div>
      {!n.read && (
        <span className="mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full bg-orange-500" aria-label={t("notif.unread")} />
      )}
    </>
  );
  const cls = cn(
    "flex items-start gap-3 rounded-xl px-3 py-3 hover:bg-stone-100",
    !n.read && "bg-orange-50",
  );
  return (
    <div data-testid="notification" data-kind={n.kind} data-read={n.read ? "true" : "false"}>
      {href ? (
        <Link href={href} className={cls} onClick={() => onOpen(n)}>
          {body}
        </Link>
      ) : (
        <button type="button" className={cn(cls, "w-full text-left")} onClick={() => onOpen(n)}>
          {body}
        </button>
      )}
    </div>
  );
}
