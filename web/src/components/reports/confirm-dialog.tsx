"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { useT } from "@/i18n";

interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" before an action that hides, suspends or closes something. Escape cancels. */
export function ConfirmDialog({ title, body, confirmLabel, danger, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const t = useT();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby="confirm-title"
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
      onClick={(e) => e.target === e.currentTarget && onCancel()}
      data-testid="confirm-dialog"
    >
      <div className="w-full max-w-sm rounded-2xl bg-white p-5 shadow-xl">
        <h2 id="confirm-title" className="mb-2 text-lg font-bold">{title}</h2>
        <p className="text-sm text-stone-700">{body}</p>
        <div className="mt-4 flex justify-end gap-2">
          <Button autoFocus type="button" variant="ghost" size="sm" onClick={onCancel} data-testid="confirm-cancel">
            {t("common.cancel")}
          </Button>
          <Button type="button" variant={danger ? "danger" : "primary"} size="sm" disabled={busy} onClick={onConfirm} data-testid="confirm-ok">
            {confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
