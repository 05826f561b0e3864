"use client";

import Link from "next/link";
import { appealHref, notificationHref } from "@/api/notifications";
import type { Notification } from "@/api/types";
import { Avatar } from "@/components/ui/responsive-image";
import { RelativeTime } from "@/components/ui/relative-time";
import { useT } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";
import { cn } from "@/lib/cn";

type T = ReturnType<typeof useT>;

const GROUPED = new Set(["follow", "post_like", "comment_like", "reply_like", "product_saved"]);
const REPORT_REASONS = new Set([
  "spam", "scam", "counterfeit", "harassment", "hate", "sexual", "violence", "illegal",
  "misinformation", "other", "copied_photo",
]);
const STORE_ISSUES = ["link", "price", "stock"] as const;

/**
 * Moderation previews are `"<code>: <excerpt>"` or the bare code (report_resolved:
 * resolved|rejected, appeal_resolved: upheld|overturned); store_link's is
 * `"<issue,issue>:<product name>"` (docs/notifications.md).
 */
function splitCode(preview: string, sep: string): [string, string] {
  const at = preview.indexOf(sep);
  return at < 0 ? [preview, ""] : [preview.slice(0, at), preview.slice(at + sep.length)];
}

/** The sentence and the quoted line under it, both in the UI language. */
function describe(n: Notification, t: T): { text: string; quote: string } {
  const actor = n.actor ? `@${n.actor.handle}` : t("notif.someone");
  const preview = n.target.preview;
  switch (n.kind) {
    case "report_resolved": {
      const [code, excerpt] = splitCode(preview, ": ");
      return {
        text: t(code === "rejected" ? "notif.report_rejected" : "notif.report_resolved"),
        quote: excerpt,
      };
    }
    case "appeal_resolved": {
      const [code, excerpt] = splitCode(preview, ": ");
      return {
        text: t(code === "overturned" ? "notif.appeal_overturned" : "notif.appeal_upheld"),
        quote: excerpt,
      };
    }
    case "content_hidden": {
      // The reason is a report reason code or a moderator's message: codes are translated.
      const reason = REPORT_REASONS.has(preview)
        ? t(`report.reason.${preview}` as MessageKey)
        : preview;
      return { text: t("notif.content_hidden", { reason }), quote: "" };
    }
    case "store_link": {
      const [codes, name] = splitCode(preview, ":");
      const found = new Set(codes.split(","));
      const issues = STORE_ISSUES.filter((c) => found.has(c))
        .map((c) => t(`notif.store_link.${c}`))
        .join(", ");
      return { text: t("notif.store_link", { issues }), quote: name };
    }
    default: {
      const others = n.others_count;
      // "and 1 other", "and 2 others": one more actor has a sentence of its own.
      const group = others === 1 ? "_group_one" : "_group";
      const key = (GROUPED.has(n.kind) && others > 0 ? `notif.${n.kind}${group}` : `notif.${n.kind}`) as MessageKey;
      return { text: t(key, { actor, n: others }), quote: preview };
    }
  }
}

/** Up to three overlapping avatars of a group's newest actors, or the one actor. */
function Avatars({ n }: { n: Notification }) {
  if (n.actors.length <= 1) return <Avatar user={n.actor} size={40} />;
  return (
    <span className="relative inline-flex h-10 w-10 shrink-0" data-testid="notification-avatars">
      {n.actors.slice(0, 2).map((a, i) => (
        <span
          key={a.handle}
          className={cn(
            "absolute rounded-full ring-2 ring-white",
            i === 0 ? "left-0 top-0 z-10" : "bottom-0 right-0",
          )}
        >
          <Avatar user={a} size={28} />
        </span>
      ))}
    </span>
  );
}

/** One notification (or a group of them): avatars, a sentence in the UI language, the frozen
 * preview, a link. */
export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const t = useT();
  const href = notificationHref(n);
  const { text, quote } = describe(n, t);
  const appeal = appealHref(n);
  const body = (
    <>
      <Avatars n={n} />
      <div className="min-w-0 flex-1">
        <p className="break-words text-sm text-stone-800" data-testid="notification-text">
          {text}
        </p>
        {quote && <p className="truncate text-sm text-stone-500">“{quote}”</p>}
        {appeal && (
          <p className="mt-0.5 text-sm font-medium text-orange-600" data-testid="notification-appeal">
            {t("notif.content_hidden.appeal")}
          </p>
        )}
        <p className="mt-0.5 text-xs text-stone-400"><RelativeTime iso={n.latest_at} /></p>
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
    <div
      data-testid="notification"
      data-kind={n.kind}
      data-read={n.read ? "true" : "false"}
      data-count={n.actor_count}
    >
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
