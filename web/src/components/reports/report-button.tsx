"use client";

import { schemaLimits } from "@/api/limits";
import { useState, type FormEvent } from "react";
import { useFileReport } from "@/api/reports";
import { anyFieldText, errorText, toApiError, type ApiError } from "@/api/errors";
import { REPORT_REASONS, type ReportReason, type ReportTargetType } from "@/api/types";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useT, type MessageKey } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";

interface ReportButtonProps {
  targetType: ReportTargetType;
  /** uuid, or the handle for users. */
  target: string;
  className?: string;
}

/** "Report" for anything reportable: a small dialog with the fixed reasons and a description. */
export function ReportButton({ targetType, target, className }: ReportButtonProps) {
  const t = useT();
  const user = useAuth((s) => s.user);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason>("spam");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const file = useFileReport();
  if (!user) return null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    file.mutate(
      { target_type: targetType, target, reason, description: description.trim() },
      {
        onSuccess: () => setDone(true),
        onError: (err) => setError(toApiError(err)),
      },
    );
  };
  const close = () => {
    setOpen(false);
    setDone(false);
    setError(null);
    setDescription("");
  };

  return (
    <>
      <button
        type="button"
        data-testid="report-button"
        data-target-type={targetType}
        onClick={() => setOpen(true)}
        className={cn("text-xs text-stone-400 hover:text-red-600 hover:underline", className)}
      >
        {t("report.action")}
      </button>
      {open && (
        <div
          role="dialog"
          aria-modal="true"
          aria-label={t("report.title")}
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
          onClick={(e) => e.target === e.currentTarget && close()}
        >
          <form onSubmit={onSubmit} className="w-full max-w-sm rounded-2xl bg-white p-5 shadow-xl" data-testid="report-dialog">
            <h2 className="mb-3 text-lg font-bold">{t("report.title")}</h2>
            {done ? (
              <>
                <FormMessage kind="success">{t("report.done")}</FormMessage>
                <div className="mt-4 flex justify-end">
                  <Button type="button" size="sm" onClick={close}>
                    {t("chat.dismiss")}
                  </Button>
                </div>
              </>
            ) : (
              <>
                <fieldset className="grid grid-cols-2 gap-1.5">
                  <legend className="mb-1 text-sm font-medium text-stone-700">{t("report.reason")}</legend>
                  {REPORT_REASONS.map((r) => (
                    <label key={r} className="flex items-center gap-1.5 text-sm">
                      <input
                        type="radio"
                        name="reason"
                        value={r}
                        checked={reason === r}
                        onChange={() => setReason(r)}
                      />
                      {t(`report.reason.${r}` as MessageKey)}
                    </label>
                  ))}
                </fieldset>
                <label className="mt-3 block text-sm font-medium text-stone-700" htmlFor={`report-desc-${target}`}>
                  {t("report.description")}
                </label>
                <textarea
                  id={`report-desc-${target}`}
                  value={description}
                  maxLength={schemaLimits.ReportCreateRequest.description.maxLength}
                  rows={3}
                  onChange={(e) => setDescription(e.target.value)}
                  className="mt-1 w-full rounded-lg border border-stone-300 p-2 text-sm"
                />
                {error && (
                  <FormMessage kind="error">
                    {error.code === "duplicate_report"
                      ? t("report.duplicate")
                      : anyFieldText(error) || errorText(error)}
                  </FormMessage>
                )}
                <div className="mt-4 flex justify-end gap-2">
                  <Button type="button" variant="ghost" size="sm" onClick={close}>
                    {t("common.cancel")}
                  </Button>
                  <Button type="submit" variant="danger" size="sm" disabled={file.isPending}>
                    {t("report.submit")}
                  </Button>
                </div>
              </>
            )}
          </form>
        </div>
      )}
    </>
  );
}
