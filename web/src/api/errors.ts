import { HttpError } from "@/api/client";
import { useLocale } from "@/i18n";
import { errorMessage, fieldMessages } from "@/i18n/errors";

/** The one error shape of the API: `{code, detail, fields?}`. */
export interface ApiError {
  status: number;
  code: string;
  detail: string;
  fields: Record<string, string[]>;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof HttpError) {
    const data = (error.body && typeof error.body === "object" ? error.body : {}) as Partial<ApiError>;
    return {
      status: error.status,
      code: typeof data.code === "string" ? data.code : "error",
      detail: typeof data.detail === "string" ? data.detail : "",
      fields: data.fields && typeof data.fields === "object" ? data.fields : {},
    };
  }
  // fetch() rejects with a TypeError when the network fails, and with a DOMException on timeout.
  if (error instanceof TypeError || (error instanceof DOMException && error.name === "TimeoutError")) {
    return { status: 0, code: "network_error", detail: "", fields: {} };
  }
  return { status: 0, code: "error", detail: error instanceof Error ? error.message : "", fields: {} };
}

// One translated array per answer and language: the same answer gives the same array, so fields
// can tell a new answer from a re-render (see useFreshErrors).
const translated = new WeakMap<string[], Map<string, string[]>>();

/** Messages for a field, if any, in the UI language (never the API's English in Korean). */
export function fieldErrors(error: ApiError | null, name: string): string[] | undefined {
  const messages = error?.fields[name];
  if (!error || !messages || messages.length === 0) return undefined;
  const locale = useLocale.getState().locale;
  let byLocale = translated.get(messages);
  if (!byLocale) translated.set(messages, (byLocale = new Map()));
  let out = byLocale.get(locale);
  if (!out) byLocale.set(locale, (out = fieldMessages(error, name, locale) ?? []));
  return out.length > 0 ? out : undefined;
}

/** The sentence for an error as a whole, in the UI language. */
export function errorText(error: ApiError): string {
  return errorMessage(error, useLocale.getState().locale);
}

/** Every field message of an error, in the UI language, joined (for one-line places). */
export function anyFieldText(error: ApiError): string {
  return Object.keys(error.fields)
    .flatMap((name) => fieldErrors(error, name) ?? [])
    .join(" ");
}

/**
 * The message above a form: the error as a whole when it names no field the form shows
 * (no fields, or only `non_field_errors`/`detail`); null when the fields carry it.
 */
export function formError(error: ApiError | null): string | null {
  if (!error) return null;
  const names = Object.keys(error.fields).filter((n) => n !== "non_field_errors" && n !== "detail");
  return names.length === 0 ? errorText(error) : null;
}
