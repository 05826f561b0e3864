"use client";

import Link from "next/link";
import { useState } from "react";
import { errorText, toApiError, type ApiError } from "@/api/errors";
import { APPEAL_STATUSES, useAppealQueue, useDecideAppeal, type AppealDecision, type AppealStatus, type StaffAppeal } from "@/api/reports";
import { ConfirmDialog } from "@/components/reports/confirm-dialog";
import { AppealBadge, useReportLabels } from "@/components/reports/labels";
import { Pager } from "@/components/reports/pager";
import { StaffPage } from "@/components/reports/staff-guard";
import { Button } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { formatDate, useLocale, useT } from "@/i18n";

function AppealRow({ appeal }: { appeal: StaffAppeal }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const labels = useReportLabels();
  const decide = useDecideAppeal();
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState<AppealDecision | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const hidden = appeal.hidden_content;
  const run = (decision: AppealDecision) => {
    setError(null);
    decide.mutate(
      { uuid: appeal.uuid, decision, reason: reason.trim() },
      { onError: (err) => setError(toApiError(err)) },
    );
  };
  return (
    <li className="flex flex-col gap-2 py-3" data-testid="appeal-row" data-target={hidden.target}>
      <div className="flex flex-wrap items-center gap-2">
        <AppealBadge status={appeal.status} />
        <b className="text-sm">{labels.type(hidden.target_type)}</b>
        <span className="text-sm text-stone-600">· {labels.reason(hidden.reason)}</span>
        <span className="ml-auto text-xs text-stone-400">{formatDate(appeal.created_at, locale)}</span>
      </div>
      <p className="text-sm text-stone-800" data-testid="appeal-excerpt">“{hidden.excerpt || "—"}”</p>
      {hidden.message && <p className="text-xs text-stone-500">{t("appeal.staffReason")}: {hidden.message}</p>}
      <blockquote className="whitespace-pre-line rounded bg-stone-50 p-2 text-sm text-stone-800" data-testid="appeal-text">
        {appeal.author ? `@${appeal.author.handle}: ` : ""}{appeal.text}
      </blockquote>
      <div className="flex flex-wrap items-center gap-2 text-xs text-stone-500">
        {appeal.report && (
          <Link href={`/staff/reports/${appeal.report}`} className="text-orange-700 hover:underline">{t("appeal.openReport")}</Link>
        )}
        {appeal.decided_by && (
          <span>{t("appeal.decidedBy", { handle: appeal.decided_by.handle })}{appeal.decision_reason && ` · “${appeal.decision_reason}”`}</span>
        )}
      </div>
      {appeal.status === "pending" && (
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            aria-label={t("staff.reasonText")}
            placeholder={t("appeal.decisionReason")}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            className="h-8 min-w-0 flex-1 rounded-lg border border-stone-300 px-2 text-sm"
          />
          <div className="flex gap-2">
            <Button size="sm" variant="secondary" disabled={decide.isPending} data-testid="appeal-uphold" onClick={() => setAsking("upheld")}>
              {t("appeal.uphold")}
            </Button>
            <Button size="sm" disabled={decide.isPending} data-testid="appeal-overturn" onClick={() => setAsking("overturned")}>
              {t("appeal.overturn")}
            </Button>
          </div>
        </div>
      )}
      {error && (
        <FormMessage kind="error">{error.code === "appeal_decided" ? t("appeal.alreadyDecided") : errorText(error)}</FormMessage>
      )}
      {asking && (
        <ConfirmDialog
          title={t(asking === "upheld" ? "appeal.confirmUphold.title" : "appeal.confirmOverturn.title")}
          body={t(asking === "upheld" ? "appeal.confirmUphold.body" : "appeal.confirmOverturn.body")}
          confirmLabel={t(asking === "upheld" ? "appeal.uphold" : "appeal.overturn")}
          danger={asking === "overturned"}
          busy={decide.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const decision = asking;
            setAsking(null);
            run(decision);
          }}
        />
      )}
    </li>
  );
}

export default function StaffAppealsPage() {
  const t = useT();
  const labels = useReportLabels();
  const [status, setStatus] = useState<AppealStatus | "">("pending");
  const [page, setPage] = useState(1);
  const query = useAppealQueue(status, page);
  return (
    <StaffPage active="appeals">
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <label className="flex flex-col gap-0.5 text-xs text-stone-600">
            {t("staff.filter.status")}
            <select
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as AppealStatus | "");
                setPage(1);
              }}
              className="h-8 rounded-lg border border-stone-300 bg-white px-2 text-sm"
            >
              <option value="">{t("staff.filter.all")}</option>
              {APPEAL_STATUSES.map((s) => <option key={s} value={s}>{labels.appealStatus(s)}</option>)}
            </select>
          </label>
          {query.data && <span className="ml-auto text-sm text-stone-500">{t("staff.total", { n: query.data.count })}</span>}
        </div>
        {query.isPending ? (
          <Spinner label={t("common.loading")} />
        ) : query.isError ? (
          <FormMessage kind="error">{t("common.error")}</FormMessage>
        ) : query.data.results.length === 0 ? (
          <p className="py-8 text-center text-sm text-stone-500" data-testid="appeals-empty">{t("appeal.queueEmpty")}</p>
        ) : (
          <ul className="divide-y divide-stone-100">
            {query.data.results.map((a) => <AppealRow key={a.uuid} appeal={a} />)}
          </ul>
        )}
        {query.data && <Pager previous={query.data.previous} next={query.data.next} onPage={(d) => setPage((p) => p + d)} />}
      </Card>
    </StaffPage>
  );
}
