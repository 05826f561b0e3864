/**
 * API errors in the UI language.
 *
 * The API answers `{code, detail, fields}` with English `detail` and English field messages (no
 * per-field codes). The UI never shows that English in Korean: the error `code` (and the HTTP
 * status) picks a catalogue string, and each field message is matched against the messages the
 * API is known to send (DRF's and Django's defaults and the project's own). A Korean UI that meets
 * an unknown English message shows a generic Korean sentence for that field instead; the English
 * UI shows the server's text.
 */
import type { ApiError } from "@/api/errors";
import type { Locale, TranslateVars } from "@/i18n";
import { translate } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";

type T = (key: MessageKey, vars?: TranslateVars) => string;

/** Error codes the API and the chat socket send, with their catalogue strings. */
const CODE_KEYS: Record<string, MessageKey> = {
  invalid: "err.invalid",
  bad_request: "err.invalid",
  parse_error: "err.invalid",
  not_found: "err.not_found",
  permission_denied: "err.permission_denied",
  not_authenticated: "err.not_authenticated",
  authentication_failed: "err.not_authenticated",
  token_not_valid: "err.not_authenticated",
  invalid_credentials: "err.invalid_credentials",
  throttled: "err.throttled",
  rate_limited: "err.throttled",
  server_error: "err.server_error",
  unavailable: "err.server_error",
  network_error: "err.network",
  method_not_allowed: "err.invalid",
  unsupported_media_type: "err.invalid",
  duplicate_report: "err.duplicate_report",
  appeal_exists: "err.appeal_exists",
  appeal_decided: "err.appeal_decided",
  not_hidden: "err.not_hidden",
  // Uploads.
  too_large: "err.too_large",
  empty_file: "err.empty_file",
  file_missing: "err.empty_file",
  upload_missing: "err.upload_missing",
  upload_closed: "err.upload_expired",
  grant_expired: "err.upload_expired",
  bad_signature: "err.upload_expired",
  bad_policy: "err.upload_expired",
  policy_mismatch: "err.upload_expired",
  length_required: "err.invalid",
  processing_error: "err.processing_error",
  timeout: "err.timeout",
  corrupt: "err.image_corrupt",
  undecodable: "err.image_corrupt",
  truncated: "err.image_corrupt",
  encode_failed: "err.processing_error",
  // Link previews.
  invalid_url: "err.invalid_url",
  blocked_address: "err.preview_blocked",
  fetch_failed: "err.preview_failed",
  upstream_status: "err.preview_failed",
  too_many_redirects: "err.preview_failed",
  not_html: "err.preview_not_html",
  page_too_large: "err.preview_too_large",
  no_preview: "err.preview_nothing",
  // Chat frames.
  malformed: "err.invalid",
  unknown_type: "err.invalid",
  blocked: "chat.err.blocked",
  text_too_long: "chat.err.text_too_long",
  frame_too_large: "chat.err.text_too_long",
  unsupported: "err.invalid",
  invalid_ticket: "err.not_authenticated",
  invalid_handle: "err.invalid_handle",
  delete_window_passed: "chat.err.delete_window_passed",
  not_your_message: "chat.err.not_your_message",
};

/**
 * Field messages the API sends (English), matched from the start. `$1` in a key's string is
 * filled from the first group as `{n}` / `{names}`.
 */
const FIELD_PATTERNS: [RegExp, MessageKey][] = [
  [/^This field is required\.|^This field may not be (blank|null)\.|^This query parameter is required/, "err.f.required"],
  [/^Ensure this field has no more than (\d+) characters/, "err.f.max_length"],
  [/^Ensure this field has at least (\d+) characters/, "err.f.min_length"],
  [/^At most (\d+) characters/, "err.f.max_length"],
  [/^Ensure this value is greater than or equal to/, "err.f.min_value"],
  [/^Ensure this value is less than or equal to/, "err.f.max_value"],
  [/^A valid integer is required|^A valid number is required|^A non-negative integer/, "err.f.number"],
  [/^Enter a valid e-?mail address/i, "err.f.email"],
  [/^An account with this e-mail already exists|^user with this email|^A user with that email/i, "err.f.email_taken"],
  [/^This handle or e-mail is already taken/, "err.f.handle_or_email_taken"],
  [/^This handle is already taken|^user with this handle/i, "err.f.handle_taken"],
  [/^This handle is reserved/, "err.f.handle_reserved"],
  [/handle.*(letters|characters)|^Enter a valid .*handle/i, "err.f.handle_format"],
  [/^The two passwords differ/, "err.f.password_mismatch"],
  [/^This password is too short/, "err.f.password_short"],
  [/^This password is too common/, "err.f.password_common"],
  [/^This password is entirely numeric/, "err.f.password_numeric"],
  [/^The password is too similar/, "err.f.password_similar"],
  [/^The current password is incorrect/, "err.f.old_password"],
  [/^This reset link is invalid or has expired/, "err.f.reset_link"],
  [/^E-mail or password is incorrect/, "err.invalid_credentials"],
  [/^This account is not active/, "err.f.inactive"],
  [/^Enter a valid (link|URL)|^This is not a valid link|^Enter an http:\/\/ or https:\/\/ link|^The link has no host|^Only http:\/\/ and https:\/\//i, "err.invalid_url"],
  [/^Links with a user name or password/, "err.invalid_url"],
  [/^"?[^"]*"? is not a valid choice/, "err.f.choice"],
  [/^A post has at most (\d+) tags/, "err.f.tags"],
  [/^No such user: (.+?)\.?$/, "err.f.no_such_user"],
  [/^One or more of these users cannot be added/, "err.f.cannot_add"],
  [/^Name at least one other user/, "err.f.name_someone"],
  [/^At most (\d+) handles at once/, "err.f.too_many_handles"],
  [/^A message needs some text/, "err.f.required"],
  [/^You cannot chat about your own product/, "chat.err.own_product"],
  [/^A chat about a product is between/, "chat.err.product_room_invite"],
  [/^No such image of yours|^Each image must be an image uuid|^image is an image uuid/, "chat.uploadFailed"],
  [/^Null characters are not allowed/, "err.invalid"],
  [/^You cannot block yourself/, "err.f.block_self"],
  [/^You cannot mute yourself/, "err.f.mute_self"],
  [/^Must not be before from/, "err.f.date_order"],
  [/^Ensure this field has no more than (\d+) elements|^Ensure this list has no more than (\d+)/, "err.f.too_many"],
  [/^The image could not be processed|could not be processed/i, "err.processing_error"],
  [/^The file is empty/, "err.empty_file"],
  [/^The (file|upload) is larger than/, "err.too_large"],
  [/^The upload grant has expired|^This upload grant was already used/, "err.upload_expired"],
  [/^The store took too long|^The page could not be read|^The connection did not reach/, "err.preview_failed"],
  [/^The link is not a web page/, "err.preview_not_html"],
  [/^The page says nothing about a product/, "err.preview_nothing"],
  [/timed out|took too long/i, "err.timeout"],
  [/^Image .* not ready|not ready/i, "err.f.image_not_ready"],
  [/^Invalid pk|^Object with .* does not exist|does not exist\.?$/i, "err.f.missing_object"],
  [/^Date has wrong format/, "err.f.date_format"],
];

/** The UI string for one English message from the API, or null when it is not a known one. */
export function knownServerMessage(message: string, t: T): string | null {
  for (const [pattern, key] of FIELD_PATTERNS) {
    const m = pattern.exec(message.trim());
    if (m) {
      const arg = m.slice(1).find((g) => g !== undefined && /^[\w@., -]+$/.test(g)) ?? "";
      return t(key, { n: arg, names: arg });
    }
  }
  return null;
}

function localise(message: string, locale: Locale, t: T, fallback: MessageKey): string {
  // Already in Korean (a message the UI made itself, or one the API localised).
  if (locale === "ko" && /[가-힣]/.test(message)) return message;
  const known = knownServerMessage(message, t);
  if (known) return known;
  // English UI: the server's own sentence. Korean UI: never English from the server.
  return locale === "en" && message ? message : t(fallback);
}

/** A field's messages in the UI language (undefined when the field has none). */
export function fieldMessages(
  error: ApiError | null,
  name: string,
  locale: Locale,
): string[] | undefined {
  const messages = error?.fields[name];
  if (!messages || messages.length === 0) return undefined;
  const t: T = (key, vars) => translate(locale, key, vars);
  return [...new Set(messages.map((m) => localise(m, locale, t, "err.f.invalid")))];
}

/** The one sentence for an error as a whole (above a form, in a banner). */
export function errorMessage(error: ApiError, locale: Locale): string {
  const t: T = (key, vars) => translate(locale, key, vars);
  const nonField = error.fields.non_field_errors ?? error.fields.detail;
  if (nonField?.length) return localise(nonField[0], locale, t, "err.invalid");
  if (error.code === "throttled" || error.status === 429) {
    const wait = /(\d+) seconds?/.exec(error.detail)?.[1];
    return wait ? t("err.throttled_wait", { n: wait }) : t("err.throttled");
  }
  const key = CODE_KEYS[error.code];
  if (key && error.code !== "invalid") return t(key);
  if (error.detail) {
    const known = knownServerMessage(error.detail, t);
    if (known) return known;
  }
  if (key) return t(key);
  if (error.status === 404) return t("err.not_found");
  if (error.status === 403) return t("err.permission_denied");
  if (error.status === 401) return t("err.not_authenticated");
  if (error.status === 409) return t("err.conflict");
  if (error.status === 413) return t("err.too_large");
  if (error.status >= 500) return t("err.server_error");
  if (error.status === 0) return t("err.network");
  return locale === "en" && error.detail ? error.detail : t("common.error");
}

/** The reason an image upload failed, in the UI language. */
export function imageFailureReason(error: ApiError, raw: unknown, t: T): string {
  if (error.status !== 0) {
    const field = Object.values(error.fields).flat()[0];
    if (field) return knownServerMessage(field, t) ?? t("err.processing_error");
    return t(CODE_KEYS[error.code] ?? "err.processing_error");
  }
  // uploadImage() rejects with an Error: "timeout", the image's `error`, or a network failure.
  const message = raw instanceof Error ? raw.message : "";
  if (message === "timeout") return t("err.timeout");
  if (message.startsWith("upload failed (network)")) return t("err.network");
  if (message.startsWith("upload failed (413)")) return t("err.too_large");
  if (message.startsWith("upload failed")) return t("err.upload_expired");
  if (message === "unsupported type") return t("image.badType");
  return knownServerMessage(message, t) ?? t("err.processing_error");
}
