"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { toApiError } from "@/api/errors";
import { useProductInsights, useSellerInsights, type InsightRange } from "@/api/products";
import type { components } from "@/api/schema";
import { LineChart } from "@/components/products/insights-chart";
import { StatusBadge } from "@/components/products/status-badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { PageTitle, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { formatPrice, useLocale, useT, type MessageKey } from "@/i18n";
import { cn } from "@/lib/cn";
import { useRequireAuth } from "@/lib/use-require-auth";

type Totals = components["schemas"]["InsightTotals"];
type Day = components["schemas"]["InsightDay"];
type TopProduct = components["schemas"]["TopProduct"];

const RANGES = [7, 30, 90] as const;

/** The last `days` days, ending today (UTC days, as the API counts them). */
function rangeOf(days: number): InsightRange {
  if (days === 30) return {}; // the API's default
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

const percent = (rate: number, locale: string) =>
  new Intl.NumberFormat(locale === "ko" ? "ko-KR" : "en-US", { style: "percent", maximumFractionDigits: 1 }).format(rate);

function TotalsGrid({ totals }: { totals: Totals }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const cells: { key: MessageKey; value: string; id: string }[] = [
    { key: "insights.views", value: String(totals.views), id: "views" },
    { key: "insights.uniqueViewers", value: String(totals.unique_viewers), id: "unique" },
    { key: "insights.clickOuts", value: String(totals.click_outs), id: "clicks" },
    { key: "insights.ctr", value: percent(totals.click_through_rate, locale), id: "ctr" },
    { key: "insights.saves", value: String(totals.saves), id: "saves" },
    { key: "insights.chats", value: String(totals.chats), id: "chats" },
  ];
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6" data-testid="insights-totals">
      {cells.map((c) => (
        <div key={c.id} className="min-w-0 rounded-2xl border border-stone-200 bg-white p-3">
          <dt className="truncate text-xs text-stone-500">{t(c.key)}</dt>
          <dd className="text-xl font-bold text-stone-900" data-testid={`total-${c.id}`}>{c.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Charts({ days, totals }: { days: Day[]; totals: Totals }) {
  const t = useT();
  const series: { key: MessageKey; field: "views" | "click_outs" | "saves" | "chats"; color: string }[] = [
    { key: "insights.views", field: "views", color: "#f97316" },
    { key: "insights.clickOuts", field: "click_outs", color: "#0ea5e9" },
    { key: "insights.saves", field: "saves", color: "#e11d48" },
    { key: "insights.chats", field: "chats", color: "#16a34a" },
  ];
  return (
    <section className="flex flex-col gap-2">
      <h2 className="text-sm font-semibold text-stone-700">{t("insights.daily")}</h2>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        {series.map((s) => (
          <LineChart key={s.field} title={t(s.key)} total={String(totals[s.field])} color={s.color}
            testId={`chart-${s.field}`} points={days.map((d) => ({ date: d.date, value: d[s.field] }))} />
        ))}
      </div>
    </section>
  );
}

function TopProducts({ top }: { top: TopProduct[] }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  return (
    <section className="flex flex-col gap-2" data-testid="top-products">
      <h2 className="text-sm font-semibold text-stone-700">{t("insights.top")}</h2>
      {top.length === 0 ? (
        <p className="text-sm text-stone-500">{t("insights.none")}</p>
      ) : (
        <ol className="flex flex-col divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white">
          {top.map((row) => (
            <li key={row.product.uuid} className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 p-3">
              <Link href={`/insights?product=${row.product.uuid}`}
                className="min-w-0 flex-1 truncate font-medium text-stone-900 hover:text-orange-600">
                {row.product.name}
              </Link>
              <StatusBadge status={row.product.status} />
              <span className="text-sm text-stone-500">{formatPrice(row.product.price, row.product.currency, locale)}</span>
              <span className="w-full text-xs text-stone-500 sm:w-auto">
                {t("insights.views")} {row.views} · {t("insights.clickOuts")} {row.click_outs} ·{" "}
                {t("insights.ctr")} {percent(row.click_through_rate, locale)} · {t("insights.saves")} {row.saves}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function InsightsBody() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const user = useRequireAuth();
  const product = params.get("product");
  const days = Number(params.get("days")) || 30;
  const span = (RANGES as readonly number[]).includes(days) ? days : 30;
  const range = rangeOf(span);
  const one = useProductInsights(user ? product : null, range);
  const all = useSellerInsights(range, !!user && !product);
  const query = product ? one : all;
  if (!user) return null;

  const setSpan = (n: number) => {
    const next = new URLSearchParams(params.toString());
    if (n === 30) next.delete("days");
    else next.set("days", String(n));
    const qs = next.toString();
    router.replace(qs ? `/insights?${qs}` : "/insights", { scroll: false });
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PageTitle className="mb-0">{t("insights.title")}</PageTitle>
        <div role="group" aria-label={t("insights.range")} className="flex gap-1 rounded-xl bg-stone-100 p-1">
          {RANGES.map((n) => (
            <Button key={n} size="sm" variant="ghost" data-testid={`range-${n}`} aria-pressed={span === n}
              className={cn(span === n && "bg-white shadow-sm")} onClick={() => setSpan(n)}>
              {t("insights.days", { n })}
            </Button>
          ))}
        </div>
      </div>
      {product && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          {one.data && (
            <Link href={`/products/${one.data.product.uuid}`} className="min-w-0 truncate font-semibold text-stone-900 hover:text-orange-600"
              data-testid="insights-product-name">
              {one.data.product.name}
            </Link>
          )}
          <Link href="/insights" className={buttonVariants({ variant: "link", size: "sm" })}>{t("insights.allProducts")}</Link>
        </div>
      )}
      {query.isPending ? (
        <Spinner label={t("common.loading")} />
      ) : query.isError ? (
        <FormMessage kind="error">
          {toApiError(query.error).status === 404 ? t("common.notFound") : t("common.error")}
        </FormMessage>
      ) : (
        <>
          <TotalsGrid totals={query.data.totals} />
          <Charts days={query.data.days} totals={query.data.totals} />
          {"top_products" in query.data && <TopProducts top={query.data.top_products} />}
        </>
      )}
    </div>
  );
}

export default function InsightsPage() {
  const t = useT();
  return (
    <Suspense fallback={<Spinner label={t("common.loading")} />}>
      <InsightsBody />
    </Suspense>
  );
}
