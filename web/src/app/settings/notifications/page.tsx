"use client";

import {
  ALWAYS_ON,
  useNotificationPreferences,
  useUpdateNotificationPreferences,
  type NotificationKind,
} from "@/api/notifications";
import { formError, toApiError } from "@/api/errors";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";
import { cn } from "@/lib/cn";
import { useRequireAuth } from "@/lib/use-require-auth";

/** The order the switches are listed in: people, content, selling, moderation. */
const KINDS: NotificationKind[] = [
  "follow",
  "post_like",
  "comment",
  "reply",
  "comment_like",
  "reply_like",
  "mention",
  "product_saved",
  "store_link",
  "report_resolved",
  "appeal_resolved",
  "warning",
  "content_hidden",
];

/** Notification settings: one switch per kind (GET/PATCH /api/notifications/preferences/). */
export default function NotificationSettingsPage() {
  const t = useT();
  const user = useRequireAuth();
  const prefs = useNotificationPreferences();
  const update = useUpdateNotificationPreferences();
  const error = update.error ? toApiError(update.error) : null;
  if (!user) return null;
  return (
    <Card className="mx-auto max-w-lg">
      <PageTitle>{t("notif.settings.title")}</PageTitle>
      <p className="mb-3 text-sm text-stone-500">{t("notif.settings.help")}</p>
      {error && formError(error) && <FormMessage kind="error">{formError(error)}</FormMessage>}
      <ul className="flex flex-col divide-y divide-stone-100" data-testid="notification-preferences">
        {KINDS.map((kind) => {
          const locked = ALWAYS_ON.includes(kind);
          const on = locked || (prefs.data?.[kind] ?? true);
          const label = t(`notif.kind.${kind}` as MessageKey);
          return (
            <li key={kind} className="flex items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="text-sm text-stone-800">{label}</p>
                {locked && <p className="text-xs text-stone-500">{t("notif.settings.locked")}</p>}
              </div>
              <button
                type="button"
                role="switch"
                aria-checked={on}
                aria-label={label}
                data-testid={`pref-${kind}`}
                disabled={locked || !prefs.data}
                onClick={() => update.mutate({ [kind]: !on })}
                className={cn(
                  "relative inline-flex h-7 w-12 shrink-0 items-center rounded-full transition-colors",
                  "focus:outline-none focus-visible:ring-2 focus-visible:ring-orange-400",
                  on ? "bg-orange-500" : "bg-stone-300",
                  (locked || !prefs.data) && "opacity-60",
                )}
              >
                <span
                  className={cn(
                    "inline-block h-5 w-5 rounded-full bg-white shadow transition-transform",
                    on ? "translate-x-6" : "translate-x-1",
                  )}
                />
              </button>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
