"use client";

import type { ReportStatus } from "@/api/types";
import { useT, type MessageKey } from "@/i18n";
import { cn } from "@/lib/cn";

const STATUS_STYLE: Record<ReportStatus, string> = {
  pending: "bg-amber-100 text-amber-800",
  in_review: "bg-sky-100 text-sky-800",
  resolved: "bg-emerald-100 text-emerald-800",
  rejected: "bg-stone-200 text-stone-700",
};

const APPEAL_STYLE: Record<string, string> = {
  pending: "bg-amber-100 text-amber-800",
  upheld: "bg-stone-200 text-stone-700",
  overturned: "bg-emerald-100 text-emerald-800",
};

export function AppealBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span data-testid="appeal-status" data-status={status} className={cn("rounded-full px-2 py-0.5 text-xs font-medium", APPEAL_STYLE[status])}>
      {t(`appeal.status.${status}` as MessageKey)}
    </span>
  );
}

export function StatusBadge({ status }: { status: ReportStatus }) {
  const t = useT();
  return (
    <span data-testid="report-status" data-status={status} className={cn("rounded-full px-2 py-0.5 text-xs font-medium", STATUS_STYLE[status])}>
      {t(`report.status.${status}` as MessageKey)}
    </span>
  );
}

const HISTORY_KEYS = new Set([
  "created", "assigned", "unassigned", "note", "status", "appeal_upheld", "appeal_overturned",
]);
const ACTION_KEYS = new Set(["hide_content", "unhide_content", "warn_user", "suspend_user", "unsuspend_user"]);

export function useReportLabels() {
  const t = useT();
  return {
    reason: (r: string) => t(`report.reason.${r}` as MessageKey),
    appealStatus: (s: string) => t(`appeal.status.${s}` as MessageKey),
    type: (r: string) => t(`report.type.${r}` as MessageKey),
    action: (r: string) => t(`report.actionName.${r}` as MessageKey),
    status: (r: string) => t(`report.status.${r}` as MessageKey),
    /** An audit-log entry's action code: workflow steps, then moderation actions. */
    history: (a: string) =>
      HISTORY_KEYS.has(a)
        ? t(`staff.history.${a}` as MessageKey)
        : ACTION_KEYS.has(a)
          ? t(`report.actionName.${a}` as MessageKey)
          : t("staff.history.other"),
  };
}
