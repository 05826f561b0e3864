"use client";

import { useState } from "react";
import { toApiError } from "@/api/errors";
import { useReportStats } from "@/api/reports";
import { BarChart } from "@/components/reports/bar-chart";
import { useReportLabels } from "@/components/reports/labels";
import { StaffPage } from "@/components/reports/staff-guard";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";

export default function StaffStatsPage() {
  const t = useT();
  const labels = useReportLabels();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const query = useReportStats(from, to);
  const entries = (o: Record<string, number>, label: (k: string) => string) =>
    Object.entries(o).map(([k, v]) => ({ label: label(k), value: v }));
  return (
    <StaffPage active="stats">
      <Card className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs text-stone-600">
          {t("staff.from")}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} className="h-8 rounded-lg border border-stone-300 px-2 text-sm" />
        </label>
        <label className="flex flex-col text-xs text-stone-600">
          {t("staff.to")}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} className="h-8 rounded-lg border border-stone-300 px-2 text-sm" />
        </label>
        {query.data && (
          <div className="ml-auto flex gap-6 text-sm">
            <span>{t("staff.total", { n: query.data.total })}</span>
            <span>{t("staff.openNow")}: <b data-testid="stats-open">{query.data.open_now}</b></span>
            <span>
              {t("staff.medianResolution")}:{" "}
              <b>{query.data.median_resolution_seconds == null ? "—" : t("staff.hours", { n: (query.data.median_resolution_seconds / 3600).toFixed(1) })}</b>
            </span>
          </div>
        )}
      </Card>
      {query.isPending ? (
        <Spinner label={t("common.loading")} />
      ) : query.isError ? (
        <FormMessage kind="error">
          {Object.values(toApiError(query.error).fields).flat().join(" ") || t("common.error")}
        </FormMessage>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <Card className="md:col-span-2">
            <BarChart testId="chart-day" title={t("staff.byDay")}
              data={query.data.per_day.map((d) => ({ label: d.date.slice(5), value: d.count }))} />
          </Card>
          <Card>
            <BarChart testId="chart-reason" title={t("staff.byReason")} color="#0ea5e9" data={entries(query.data.by_reason, labels.reason)} />
          </Card>
          <Card>
            <BarChart testId="chart-status" title={t("staff.byStatus")} color="#10b981" data={entries(query.data.by_status, labels.status)} />
          </Card>
          <Card>
            <BarChart testId="chart-type" title={t("staff.byType")} color="#a855f7" data={entries(query.data.by_target_type, labels.type)} />
          </Card>
        </div>
      )}
    </StaffPage>
  );
}
