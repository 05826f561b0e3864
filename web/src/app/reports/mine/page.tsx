"use client";

import Link from "next/link";
import { useState } from "react";
import { useMyReports } from "@/api/reports";
import { StatusBadge, useReportLabels } from "@/components/reports/labels";
import { Pager } from "@/components/reports/pager";
import { Card, PageTitle, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { formatDate, useLocale, useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function MyReportsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const user = useRequireAuth();
  const [page, setPage] = useState(1);
  const query = useMyReports(page);
  const labels = useReportLabels();
  if (!user) return null;
  return (
    <Card className="mx-auto max-w-2xl">
      <PageTitle>{t("report.mine")}</PageTitle>
      {query.isPending ? (
        <Spinner label={t("common.loading")} />
      ) : query.isError ? (
        <FormMessage kind="error">{t("common.error")}</FormMessage>
      ) : query.data.results.length === 0 ? (
        <p className="py-8 text-center text-sm text-stone-500">{t("common.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {query.data.results.map((r) => (
            <li key={r.uuid} className="flex flex-col gap-1 py-3" data-testid="my-report" data-target={r.target}>
              <div className="flex items-center gap-2">
                <StatusBadge status={r.status} />
                <span className="text-sm font-medium">{labels.type(r.target_type)}</span>
                <span className="text-sm text-stone-600">· {labels.reason(r.reason)}</span>
                <span className="ml-auto text-xs text-stone-400">
                  {t("report.filedAt")} {formatDate(r.created_at, locale)}
                </span>
              </div>
              {r.target_excerpt && (
                <p className="truncate text-sm text-stone-900" data-testid="my-report-target">
                  {r.target_link ? (
                    <Link href={r.target_link} className="font-medium text-orange-700 hover:underline">{r.target_excerpt}</Link>
                  ) : (
                    <span title={t("report.targetHidden")}>{r.target_excerpt}</span>
                  )}
                </p>
              )}
              {r.description && <p className="text-sm text-stone-700">{r.description}</p>}
              {(r.status === "resolved" || r.status === "rejected") && (
                <p className="text-xs text-stone-500" data-testid="my-report-outcome">
                  {t("report.outcome")}:{" "}
                  {r.outcome.actions.length > 0 ? r.outcome.actions.map(labels.action).join(", ") : t("report.noActions")}
                  {r.outcome.closed_at && ` · ${t("report.closedAt")} ${formatDate(r.outcome.closed_at, locale)}`}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {query.data && <Pager previous={query.data.previous} next={query.data.next} onPage={(d) => setPage((p) => p + d)} />}
    </Card>
  );
}
