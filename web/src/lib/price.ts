/**
 * Prices as sellers type them: "12000", "12,000", "₩12,000", "12,000원", "$12.50", "12 000".
 * Currency signs, words and spaces are dropped, commas are thousands separators, and a decimal
 * point is kept only for currencies with a minor unit (KRW and JPY have none).
 */

const NOISE = /[\s\u00a0₩$€£¥원]|KRW|USD|EUR|JPY|GBP|won/gi;

export type ParsedPrice = { ok: true; value: number } | { ok: false; reason: "invalid" | "negative" };

/** The amount in major units (12000, 12.5), or why it is not one. */
export function parsePrice(input: string, minorDigits: number): ParsedPrice {
  let s = input.replace(NOISE, "");
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1);
  s = s.replace(/,/g, "");
  const pattern = minorDigits > 0 ? new RegExp(`^\\d+(\\.\\d{0,${minorDigits}})?$`) : /^\d+$/;
  if (!s || !pattern.test(s)) return { ok: false, reason: "invalid" };
  const value = Number(s);
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER / 10 ** minorDigits) {
    return { ok: false, reason: "invalid" };
  }
  if (negative && value > 0) return { ok: false, reason: "negative" };
  return { ok: true, value };
}

/** The text as it is being typed, with thousands separators ("12000원" → "12,000"). */
export function formatPriceInput(input: string, minorDigits: number): string {
  const cleaned = input.replace(NOISE, "").replace(/,/g, "");
  // Anything else (letters, a second point) is left for the message: do not eat what was typed.
  const pattern = minorDigits > 0 ? /^-?\d*(\.\d*)?$/ : /^-?\d*$/;
  if (!pattern.test(cleaned)) return input;
  const [whole, fraction] = cleaned.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/^0+(?=\d)/, "");
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (fraction !== undefined ? `.${fraction.slice(0, minorDigits)}` : "");
}
