"use client";

import { useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { fieldErrors, formError, toApiError, type ApiError } from "@/api/errors";
import { appealTargetType, useFileAppeal, useHiddenContent } from "@/api/reports";
import { AppealBadge, useReportLabels } from "@/components/reports/labels";
import { Button } from "@/components/ui/button";
import { Card, PageTitle, Spinner } from "@/components/ui/card";
import { FormMessage, TextAreaField } from "@/components/ui/field";
import { formatDate, useLocale, useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

const TEXT_MAX = 1000;

/** /reports/appeal?target_type=post&target=<uuid>: what moderation hid of mine, and my one appeal. */
function AppealForm() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const labels = useReportLabels();
  const params = useSearchParams();
  const targetType = appealTargetType(params.get("target_type"));
  const target = params.get("target") ?? "";
  const hidden = useHiddenContent(targetType, target);
  const file = useFileAppeal();
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);

  if (!targetType || !target) return <FormMessage kind="error">{t("appeal.badLink")}</FormMessage>;
  if (hidden.isPending) return <Spinner label={t("common.loading")} />;
  if (hidden.isError) {
    const err = toApiError(hidden.error);
    return <FormMessage kind="error">{err.status === 404 || err.status === 400 ? t("appeal.notFound") : t("common.error")}</FormMessage>;
  }
  const h = hidden.data;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    file.mutate(
      { target_type: targetType, target, text: text.trim() },
      { onError: (err) => setError(toApiError(err)) },
    );
  };
  const message =
    error?.code === "appeal_exists" ? t("appeal.exists")
    : error?.code === "not_hidden" ? t("appeal.notHidden")
    : formError(error);

  return (
    <div className="flex flex-col gap-4">
      <section className="rounded-xl bg-stone-50 p-3 text-sm" data-testid="appeal-hidden">
        <p className="text-xs text-stone-500">{labels.type(h.target_type)} · {formatDate(h.hidden_at, locale)}</p>
        <p className="mt-1 font-medium text-stone-900" data-testid="appeal-excerpt">“{h.excerpt || "—"}”</p>
        <p className="mt-2 text-stone-700" data-testid="appeal-reason">
          {t("appeal.reason")}: {labels.reason(h.reason)}
          {h.message && ` · ${h.message}`}
        </p>
        {!h.hidden && <p className="mt-2 text-emerald-700" data-testid="appeal-restored">{t("appeal.restored")}</p>}
      </section>
      {h.appeal ? (
        <section className="flex flex-col gap-2" data-testid="appeal-mine">
          <div className="flex items-center gap-2 text-sm">
            <span className="font-medium">{t("appeal.yours")}</span>
            <AppealBadge status={h.appeal.status} />
          </div>
          <p className="whitespace-pre-line rounded-lg border border-stone-200 p-2 text-sm">{h.appeal.text}</p>
          <p className="text-xs text-stone-500">
            {h.appeal.status === "pending" ? t("appeal.waiting") : h.appeal.status === "overturned" ? t("appeal.overturnedText") : t("appeal.upheldText")}
            {h.appeal.decision_reason && ` · “${h.appeal.decision_reason}”`}
          </p>
        </section>
      ) : h.hidden ? (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="appeal-form" noValidate>
          <p className="text-sm text-stone-600">{t("appeal.once")}</p>
          <TextAreaField
            label={t("appeal.text")}
            name="text"
            value={text}
            maxLength={TEXT_MAX}
            onChange={(e) => setText(e.target.value)}
            errors={fieldErrors(error, "text")}
            help={`${text.length} / ${TEXT_MAX}`}
          />
          {message && <FormMessage kind="error">{message}</FormMessage>}
          <Button type="submit" disabled={file.isPending || !text.trim()} data-testid="appeal-submit">
            {t("appeal.submit")}
          </Button>
        </form>
      ) : null}
    </div>
  );
}

export default function AppealPage() {
  const t = useT();
  const user = useRequireAuth();
  if (!user) return null;
  return (
    <Card className="mx-auto w-full max-w-xl">
      <PageTitle>{t("appeal.title")}</PageTitle>
      <Suspense>
        <AppealForm />
      </Suspense>
    </Card>
  );
}
