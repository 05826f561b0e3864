"use client";

import { useT, type MessageKey } from "@/i18n";
import { useChat } from "@/stores/chat";

const KNOWN = new Set([
  "malformed", "unknown_type", "invalid", "not_found", "text_too_long", "rate_limited",
  "frame_too_large", "unsupported", "invalid_ticket", "session_revoked", "blocked", "unavailable",
]);

/** Connection state and the last error frame or abnormal close, visible to the user. */
export function ChatStatusBanner() {
  const t = useT();
  const status = useChat((s) => s.status);
  const error = useChat((s) => s.error);
  const statusText =
    status === "connecting" ||
    status === "reconnecting" ||
    status === "lost" ||
    status === "revoked" ||
    status === "no_rooms"
      ? t(`chat.status.${status}` as MessageKey)
      : null;
  const errorText = error
    ? KNOWN.has(error.code)
      ? t(`chat.error.${error.code}` as MessageKey)
      : error.code.startsWith("close_")
        ? t("chat.error.closed")
        : t("chat.error.other", { code: error.code })
    : null;
  if (!statusText && !errorText) return null;
  return (
    <div className="flex flex-col gap-1 px-3 py-2 text-xs" data-testid="chat-status" data-status={status}>
      {statusText && <p className="rounded bg-amber-50 px-2 py-1 text-amber-800">{statusText}</p>}
      {errorText && (
        <p className="flex items-center justify-between rounded bg-red-50 px-2 py-1 text-red-700" role="alert" data-testid="chat-error" data-code={error?.code}>
          <span>{errorText}</span>
          <button type="button" className="underline" onClick={() => useChat.setState({ error: null })}>
            {t("chat.dismiss")}
          </button>
        </p>
      )}
    </div>
  );
}
