/** Dates and times as a messenger shows them (local time of the browser). */

function tag(locale: string): string {
  return locale === "ko" ? "ko-KR" : "en-US";
}

/** "오후 3:04" / "3:04 PM". */
export function clock(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(tag(locale), { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

/** The local calendar day of a time, as a key for grouping ("2026-12-06"). */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** A date separator: "2026년 12월 6일 토요일" / "Saturday, December 6, 2026". */
export function dayLabel(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(tag(locale), {
    year: "numeric",
    month: "long",
    day: "numeric",
    weekday: "long",
  }).format(new Date(iso));
}

/** The room list's time: the clock today, the date otherwise ("12월 5일", "Dec 5"). */
export function listTime(iso: string, locale: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (dayKey(iso) === dayKey(now.toISOString())) return clock(iso, locale);
  const sameYear = d.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(tag(locale), {
    ...(sameYear ? {} : { year: "numeric" }),
    month: "short",
    day: "numeric",
  }).format(d);
}

/** The minute a message was sent, for grouping times of consecutive messages. */
export function minuteKey(iso: string): string {
  const d = new Date(iso);
  return `${dayKey(iso)} ${d.getHours()}:${d.getMinutes()}`;
}
