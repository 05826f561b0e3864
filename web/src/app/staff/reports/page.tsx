"use client";

import Link from "next/link";
import { useState } from "react";
import { useReportQueue, type QueueFilters } from "@/api/reports";
import { REPORT_REASONS, REPORT_STATUSES, REPORT_TARGET_TYPES } from "@/api/types";
import { StatusBadge, useReportLabels } from "@/components/reports/labels";
import { Pager } from "@/components/reports/pager";
import { StaffPage } from "@/components/reports/staff-guard";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { formatDate, useLocale, useT } from "@/i18n";

function Select({ label, value, options, onChange, name }: {
  label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void; name: string;
}) {
  const t = useT();
  return (
    <label className="flex flex-col gap-0.5 text-xs text-stone-600">
      {label}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)} className="h-8 rounded-lg border border-stone-300 bg-white px-2 text-sm">
        <option value="">{t("staff.filter.all")}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

export default function StaffReportsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const labels = useReportLabels();
  // Opens on the open reports (pending and in review); "All" shows every status.
  const [filters, setFilters] = useState<QueueFilters>({ status: "open" });
  const [page, setPage] = useState(1);
  const query = useReportQueue(filters, page);
  const set = (k: keyof QueueFilters) => (v: string) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setPage(1);
  };
  return (
    <StaffPage active="queue">
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <Select name="status" label={t("staff.filter.status")} value={filters.status ?? ""} onChange={set("status")}
            options={[{ value: "open", label: t("staff.openReports") }, ...REPORT_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))]} />
          <Select name="target_type" label={t("staff.filter.type")} value={filters.target_type ?? ""} onChange={set("target_type")}
            options={REPORT_TARGET_TYPES.map((s) => ({ value: s, label: labels.type(s) }))} />
          <Select name="reason" label={t("staff.filter.reason")} value={filters.reason ?? ""} onChange={set("reason")}
            options={[...REPORT_REASONS, "copied_photo"].map((s) => ({ value: s, label: labels.reason(s) }))} />
          <Select name="assignee" label={t("staff.filter.assignee")} value={filters.assignee ?? ""} onChange={set("assignee")}
            options={[{ value: "none", label: t("staff.unassigned") }]} />
          {query.data && <span className="ml-auto text-sm text-stone-500">{t("staff.total", { n: query.data.count })}</span>}
        </div>
        {query.isPending ? (
          <Spinner label={t("common.loading")} />
        ) : query.isError ? (
          <FormMessage kind="error">{t("common.error")}</FormMessage>
        ) : query.data.results.length === 0 ? (
          <p className="py-8 text-center text-sm text-stone-500">{t("common.empty")}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-stone-200 text-xs text-stone-500">
              <tr>
                <th className="py-2">{t("staff.filter.status")}</th>
                <th>{t("staff.filter.type")}</th>
                <th className="hidden sm:table-cell">{t("staff.target")}</th>
                <th>{t("staff.filter.reason")}</th>
                <th className="hidden md:table-cell">{t("staff.reporter")}</th>
                <th className="hidden md:table-cell">{t("staff.targetUser")}</th>
                <th className="hidden md:table-cell">{t("staff.filter.assignee")}</th>
                <th>{t("report.filedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {query.data.results.map((r) => (
                <tr key={r.uuid} className="border-b border-stone-100 hover:bg-orange-50" data-testid="queue-row" data-target={r.target}>
                  <td className="py-2"><StatusBadge status={r.status} /></td>
                  <td>
                    <Link href={`/staff/reports/${r.uuid}`} className="font-medium text-orange-700 hover:underline" data-testid="queue-open">
                      {labels.type(r.target_type)}
                    </Link>
                  </td>
                  <td className="hidden max-w-48 truncate text-stone-700 sm:table-cell" data-testid="queue-excerpt">{r.target_excerpt || "—"}</td>
                  <td>{labels.reason(r.reason)}</td>
                  <td className="hidden md:table-cell">{r.system ? t("staff.system") : `@${r.reporter?.handle ?? "—"}`}</td>
                  <td className="hidden md:table-cell">{r.target_user ? `@${r.target_user.handle}` : "—"}</td>
                  <td className="hidden md:table-cell">{r.assigned_to ? `@${r.assigned_to.handle}` : t("staff.unassigned")}</td>
                  <td className="text-xs text-stone-500">{formatDate(r.created_at, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {query.data && <Pager previous={query.data.previous} next={query.data.next} onPage={(d) => setPage((p) => p + d)} />}
      </Card>
    </StaffPage>
  );
}
