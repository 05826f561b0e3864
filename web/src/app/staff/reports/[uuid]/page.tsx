"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { anyFieldText, errorText, toApiError, type ApiError } from "@/api/errors";
import { schemaLimits } from "@/api/limits";
import { useReport, useUpdateReport } from "@/api/reports";
import type { ReportAction, ReportUpdate } from "@/api/types";
import { ConfirmDialog } from "@/components/reports/confirm-dialog";
import { StatusBadge, useReportLabels } from "@/components/reports/labels";
import { StaffPage } from "@/components/reports/staff-guard";
import { Button } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useLocale, useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

type Json = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

/** A snapshot (evidence or live target) as text: never as HTML. */
function Snapshot({ data, testId }: { data: Json | null; testId: string }) {
  const t = useT();
  if (!data) return <p className="text-sm text-stone-500" data-testid={testId}>{t("staff.deleted")}</p>;
  const person = (data.author ?? data.owner ?? data.sender) as Json | undefined;
  const heading = str(data.title) || str(data.name) || (data.handle ? `@${str(data.handle)}` : "");
  const body = str(data.text) || str(data.description) || str(data.bio);
  return (
    <div className="flex flex-col gap-1.5" data-testid={testId}>
      <div className="flex items-center gap-2">
        {heading && <b className="text-stone-900">{heading}</b>}
        {(data.hidden_at || data.suspended_at) ? (
          <span className="rounded bg-red-100 px-1.5 text-xs text-red-700" data-testid={`${testId}-hidden`}>{t("staff.hiddenBadge")}</span>
        ) : null}
      </div>
      {person && <span className="text-xs text-stone-500">@{str(person.handle)} {str(person.display_name)}</span>}
      {body && <p className="whitespace-pre-line text-sm text-stone-800">{body}</p>}
      <details className="text-xs text-stone-500">
        <summary className="cursor-pointer">JSON</summary>
        <pre className="mt-1 max-h-64 overflow-auto rounded bg-stone-50 p-2">{JSON.stringify(data, null, 2)}</pre>
      </details>
    </div>
  );
}

/** Copied-photo evidence: each pair side by side (this product's photo, the earlier one). */
function CopiedPhotos({ evidence }: { evidence: Json }) {
  const t = useT();
  const pairs = Array.isArray(evidence.copied_photos) ? (evidence.copied_photos as Json[]) : [];
  if (pairs.length === 0) return null;
  const img = (side: Json | null | undefined, alt: string) => {
    const url = side ? str(side.url) : "";
    return url ? (
      // eslint-disable-next-line @next/next/no-img-element -- stored variants, sizes vary
      <img src={url} alt={alt} className="aspect-square w-full rounded-lg border border-stone-200 object-cover" />
    ) : (
      <div className="flex aspect-square w-full items-center justify-center rounded-lg bg-stone-100 text-xs text-stone-500">{t("staff.deleted")}</div>
    );
  };
  return (
    <Card data-testid="copied-photos">
      <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("staff.copied.title")}</h2>
      <ul className="flex flex-col gap-3">
        {pairs.map((pair, i) => {
          const earlier = (pair.earlier_product ?? null) as Json | null;
          return (
            <li key={i} className="grid grid-cols-2 gap-2 text-xs text-stone-600" data-testid="copied-pair">
              <figure className="flex flex-col gap-1">
                {img(pair.image as Json, t("staff.copied.this"))}
                <figcaption>{t("staff.copied.this")}</figcaption>
              </figure>
              <figure className="flex flex-col gap-1">
                {img(pair.earlier_image as Json, t("staff.copied.earlier"))}
                <figcaption>
                  {t("staff.copied.earlier")}
                  {earlier && (
                    <>
                      {" · "}
                      <Link href={`/products/${str(earlier.uuid)}`} className="text-orange-700 hover:underline">{str(earlier.name)}</Link>
                      {` · @${str(earlier.owner)}`}
                    </>
                  )}
                </figcaption>
              </figure>
              <p className="col-span-2">{t("staff.copied.distance", { n: str(pair.distance) })}</p>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

type Pending = { body: ReportUpdate; title: string; text: string; confirm: string };

function targetLink(type: string, live: Json | null, target: string): string | null {
  if (type === "post") return `/posts/${target}`;
  if (type === "product") return `/products/${target}`;
  if (type === "user") return `/u/${target}`;
  const post = live?.post as Json | string | undefined;
  const postUuid = typeof post === "string" ? post : str(post?.uuid);
  return (type === "comment" || type === "reply") && postUuid ? `/posts/${postUuid}` : null;
}

export default function StaffReportPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const labels = useReportLabels();
  const me = useAuth((s) => s.user);
  const { uuid } = useParams<{ uuid: string }>();
  const query = useReport(uuid);
  const update = useUpdateReport(uuid);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);

  const dt = (iso: string) =>
    new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));

  const run = (body: ReportUpdate, after?: () => void) => {
    setError(null);
    update.mutate(reason.trim() ? { ...body, reason: reason.trim() } : body, {
      onSuccess: () => {
        setReason("");
        after?.();
      },
      onError: (err) => setError(toApiError(err)),
    });
  };
  const resolve = (action: ReportAction) => run({ status: "resolved", actions: [action] });
  /** Hide, suspend and reject ask first. */
  const ask = (body: ReportUpdate, kind: "hide" | "suspend" | "reject", label: string) =>
    setPending({ body, title: t(`staff.confirm.${kind}.title`), text: t(`staff.confirm.${kind}.body`), confirm: label });

  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) {
    const err = toApiError(query.error);
    return <FormMessage kind="error">{err.status === 404 ? t("common.notFound") : err.status === 403 ? t("staff.onlyStaff") : t("common.error")}</FormMessage>;
  }
  const r = query.data;
  const live = (r.live_target ?? null) as Json | null;
  const link = targetLink(r.target_type, live, r.target);
  const isUser = r.target_type === "user";

  const onNote = (e: FormEvent) => {
    e.preventDefault();
    if (note.trim()) run({ note: note.trim() }, () => setNote(""));
  };

  return (
    <StaffPage active="queue">
      <Link href="/staff/reports" className="text-sm text-orange-700 hover:underline">← {t("staff.back")}</Link>
      <div className="grid gap-4 md:grid-cols-[1fr_320px]">
        <div className="flex flex-col gap-4">
          <Card className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={r.status} />
              <b>{labels.type(r.target_type)}</b>
              <span className="text-stone-600">· {labels.reason(r.reason)}</span>
              {link && <Link href={link} className="ml-auto text-sm text-orange-700 hover:underline">{r.target}</Link>}
            </div>
            <p className="text-sm text-stone-600">
              {t("staff.reporter")}: {r.system ? t("staff.system") : `@${r.reporter?.handle ?? "—"}`} · {t("staff.targetUser")}: {r.target_user ? `@${r.target_user.handle}` : "—"} · {dt(r.created_at)}
            </p>
            {r.description && <p className="whitespace-pre-line rounded bg-stone-50 p-2 text-sm">{r.description}</p>}
            {r.actions.length > 0 && (
              <p className="text-xs text-stone-500">{t("report.outcome")}: {r.actions.map(labels.action).join(", ")}</p>
            )}
          </Card>
          <CopiedPhotos evidence={r.evidence as Json} />
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("staff.evidence")}</h2>
              <Snapshot data={r.evidence as Json} testId="evidence" />
            </Card>
            <Card>
              <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("staff.live")}</h2>
              <Snapshot data={live} testId="live-target" />
            </Card>
          </div>
          <Card>
            <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("staff.history")}</h2>
            <ol className="flex flex-col gap-1 text-xs text-stone-600" data-testid="history">
              {r.history.map((h) => (
                <li key={h.uuid}>
                  <span className="text-stone-400">{dt(h.created_at)}</span> @{h.actor || "—"} · <span data-testid="history-action">{labels.history(h.action)}</span>
                  {h.from_status && h.to_status && ` ${labels.status(h.from_status)} → ${labels.status(h.to_status)}`}
                  {h.reason && ` · “${h.reason}”`}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="flex flex-col gap-4">
          <Card className="flex flex-col gap-2" data-testid="report-actions">
            <label className="text-xs text-stone-600" htmlFor="staff-reason">{t("staff.reasonText")}</label>
            <input id="staff-reason" value={reason} maxLength={schemaLimits.PatchedReportUpdateRequest.reason.maxLength} onChange={(e) => setReason(e.target.value)}
              className="h-8 rounded-lg border border-stone-300 px-2 text-sm" />
            {error && (
              <FormMessage kind="error">{anyFieldText(error) || errorText(error)}</FormMessage>
            )}
            <div className="flex flex-wrap gap-2">
              {r.status === "pending" && (
                <Button size="sm" disabled={update.isPending} onClick={() => run({ status: "in_review" })}>{t("staff.startReview")}</Button>
              )}
              {r.status === "in_review" && (
                <>
                  {!isUser && <Button size="sm" variant="danger" disabled={update.isPending} data-testid="action-hide" onClick={() => ask({ status: "resolved", actions: ["hide_content"] }, "hide", t("staff.resolveHide"))}>{t("staff.resolveHide")}</Button>}
                  <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => resolve("warn_user")}>{t("staff.resolveWarn")}</Button>
                  <Button size="sm" variant="danger" disabled={update.isPending} data-testid="action-suspend" onClick={() => ask({ status: "resolved", actions: ["suspend_user"] }, "suspend", t("staff.resolveSuspend"))}>{t("staff.resolveSuspend")}</Button>
                  {!isUser && <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => resolve("unhide_content")}>{t("staff.resolveUnhide")}</Button>}
                  <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => resolve("unsuspend_user")}>{t("staff.resolveUnsuspend")}</Button>
                  <Button size="sm" variant="ghost" disabled={update.isPending} data-testid="action-reject" onClick={() => ask({ status: "rejected" }, "reject", t("staff.reject"))}>{t("staff.reject")}</Button>
                  <Button size="sm" variant="ghost" disabled={update.isPending} onClick={() => run({ status: "pending" })}>{t("staff.backToPending")}</Button>
                </>
              )}
              {(r.status === "resolved" || r.status === "rejected") && (
                <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => run({ status: "in_review" })}>{t("staff.reopen")}</Button>
              )}
            </div>
            <div className="flex items-center gap-2 border-t border-stone-100 pt-2 text-sm">
              <span className="text-stone-600" data-testid="assigned-to">{t("staff.filter.assignee")}: {r.assigned_to ? `@${r.assigned_to.handle}` : t("staff.unassigned")}</span>
              {me && r.assignee?.handle !== me.handle && (
                <Button size="sm" variant="ghost" onClick={() => run({ assignee: me.handle })}>{t("staff.assignMe")}</Button>
              )}
              {r.assignee && <Button size="sm" variant="ghost" onClick={() => run({ assignee: null })}>{t("staff.unassign")}</Button>}
            </div>
          </Card>
          <Card>
            <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("staff.notes")}</h2>
            <ul className="mb-2 flex flex-col gap-1.5 text-sm" data-testid="notes">
              {r.notes.map((n) => (
                <li key={n.uuid} className="rounded bg-stone-50 p-2">
                  <span className="text-xs text-stone-500">@{n.author ?? "—"} · {dt(n.created_at)}</span>
                  <p className="whitespace-pre-line">{n.text}</p>
                </li>
              ))}
            </ul>
            <form onSubmit={onNote} className="flex flex-col gap-1">
              <textarea aria-label={t("staff.addNote")} value={note} maxLength={schemaLimits.PatchedReportUpdateRequest.note.maxLength} rows={2} onChange={(e) => setNote(e.target.value)}
                className="rounded-lg border border-stone-300 p-2 text-sm" />
              <Button size="sm" type="submit" variant="secondary" disabled={update.isPending || !note.trim()}>{t("staff.addNote")}</Button>
            </form>
          </Card>
        </div>
      </div>
      {pending && (
        <ConfirmDialog
          title={pending.title}
          body={pending.text}
          confirmLabel={pending.confirm}
          danger
          busy={update.isPending}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const body = pending.body;
            setPending(null);
            run(body);
          }}
        />
      )}
    </StaffPage>
  );
}

