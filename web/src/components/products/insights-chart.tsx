"use client";

import { useId } from "react";
import { useLocale, type Locale } from "@/i18n";

/** A day of the API (YYYY-MM-DD, UTC) as "Dec 6" / "12월 6일", the same day in every time zone. */
export function formatDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T00:00:00Z`));
}

export interface ChartPoint {
  date: string;
  value: number;
}

const W = 300;
const H = 80;

/**
 * A daily line as inline SVG (no chart library): the line scales to the card's width, labels are
 * HTML around it so they never stretch. `title` names it for screen readers, with its total.
 */
export function LineChart({
  title,
  total,
  points,
  color = "#f97316",
  testId,
}: {
  title: string;
  total: string;
  points: ChartPoint[];
  color?: string;
  testId?: string;
}) {
  const locale = useLocale((s) => s.locale);
  const gradient = useId();
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? W / (points.length - 1) : 0;
  const xy = points.map((p, i) => [points.length > 1 ? i * step : W / 2, H - (p.value / max) * (H - 4) - 2]);
  const line = xy.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = xy.length ? `${line} L${xy[xy.length - 1][0].toFixed(1)},${H} L${xy[0][0].toFixed(1)},${H} Z` : "";
  const first = points[0]?.date;
  const last = points[points.length - 1]?.date;
  return (
    <figure className="flex min-w-0 flex-col gap-1 rounded-2xl border border-stone-200 bg-white p-3" data-testid={testId}>
      <figcaption className="flex items-baseline justify-between gap-2">
        <span className="truncate text-sm font-medium text-stone-600">{title}</span>
        <span className="shrink-0 text-lg font-bold text-stone-900" data-testid={testId ? `${testId}-total` : undefined}>{total}</span>
      </figcaption>
      <div className="relative">
        <span className="absolute left-0 top-0 text-[10px] text-stone-400">{max}</span>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${total}`}
          className="h-20 w-full overflow-visible">
          <defs>
            <linearGradient id={gradient} x1="0" x2="0" y1="0" y2="1">
              <stop offset="0%" stopColor={color} stopOpacity={0.25} />
              <stop offset="100%" stopColor={color} stopOpacity={0} />
            </linearGradient>
          </defs>
          <line x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} stroke="#e7e5e4" vectorEffect="non-scaling-stroke" />
          {area && <path d={area} fill={`url(#${gradient})`} stroke="none" />}
          {line && <path d={line} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round"
            strokeLinecap="round" vectorEffect="non-scaling-stroke" />}
        </svg>
      </div>
      {first && last && (
        <div className="flex justify-between text-[10px] text-stone-400">
          <span>{formatDay(first, locale)}</span>
          <span>{formatDay(last, locale)}</span>
        </div>
      )}
    </figure>
  );
}
