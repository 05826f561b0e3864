"use client";

import { useEffect, useState } from "react";
import { useLocale, type Locale } from "@/i18n";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3분 전" / "3 min. ago"; under a minute "방금 전" / "just now" (Intl: "0 seconds ago"). */
export function relativeTime(iso: string, locale: Locale, now = Date.now()): string {
  const tag = locale === "ko" ? "ko-KR" : "en-US";
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(tag, { numeric: "auto", style: "short" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return locale === "ko" ? "방금 전" : "just now";
}

export function fullDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", {
    dateStyle: "full",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** A relative time with the full date on hover (title) and in `dateTime`; refreshed each minute. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const locale = useLocale((s) => s.locale);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  return (
    // Server-rendered pages: the server's clock and time zone may differ from the browser's by a
    // minute or a day; the browser's own text replaces the server's without a hydration error.
    <time dateTime={iso} title={fullDate(iso, locale)} className={className} data-testid="relative-time"
      suppressHydrationWarning>
      {relativeTime(iso, locale, now)}
    </time>
  );
}
