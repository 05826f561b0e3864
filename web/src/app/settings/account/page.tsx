"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { downloadMyData, useDeleteAccount } from "@/api/accounts";
import { errorText, toApiError } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

function DeleteDialog({ handle, hasPassword, onClose, onLeaving }: {
  handle: string;
  hasPassword: boolean;
  onClose: () => void;
  onLeaving: (leaving: boolean) => void;
}) {
  const t = useT();
  const router = useRouter();
  const remove = useDeleteAccount();
  const [typed, setTyped] = useState("");
  const [password, setPassword] = useState("");
  const error = remove.error ? toApiError(remove.error) : null;
  // Handles are case-insensitive on the server; the check here only guards against slips.
  const matches = typed.trim().toLowerCase() === handle.toLowerCase() && password.length > 0;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!matches) return;
    // Deleting logs out: the page must not send the now anonymous visitor to the login form.
    onLeaving(true);
    remove.mutate({ handle, currentPassword: password }, {
      onSuccess: () => {
        // Navigate first, then forget the session: this dialog unmounts once the user is gone,
        // and TanStack Query skips the callbacks of unmounted callers.
        router.replace("/");
        useAuth.getState().logout();
      },
      onError: () => onLeaving(false),
    });
  };
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="delete-title"
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
      onClick={(e) => e.target === e.currentTarget && !remove.isPending && onClose()}>
      <form onSubmit={onSubmit} className="flex w-full max-w-sm flex-col gap-3 rounded-2xl bg-white p-5 shadow-xl"
        data-testid="delete-dialog">
        <h2 id="delete-title" className="text-lg font-bold text-stone-900">{t("account.deleteConfirmTitle")}</h2>
        <p className="text-sm text-stone-600">{t("account.deleteHelp")}</p>
        {error && <FormMessage kind="error">{errorText(error)}</FormMessage>}
        <TextField label={t("account.deleteConfirmLabel", { handle })} name="confirm-handle" autoComplete="off"
          value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        {hasPassword ? (
          <TextField label={t("account.deletePasswordLabel")} name="current-password" type="password"
            autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        ) : (
          <p className="text-sm text-stone-600">{t("account.deleteGoogleOnly")}</p>
        )}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={onClose} disabled={remove.isPending}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="danger" disabled={!matches || remove.isPending} data-testid="delete-confirm">
            {remove.isPending ? t("account.deleting") : t("account.deleteConfirmButton")}
          </Button>
        </div>
      </form>
    </div>
  );
}

export default function AccountSettingsPage() {
  const t = useT();
  const router = useRouter();
  const user = useAuth((s) => s.user);
  const hydrated = useAuth((s) => s.hydrated);
  const leaving = useRef(false);
  useEffect(() => {
    if (hydrated && !user && !leaving.current) router.replace("/login?next=%2Fsettings%2Faccount");
  }, [hydrated, user, router]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState(false);
  const [confirming, setConfirming] = useState(false);
  if (!user) return null;
  const onExport = async () => {
    setExporting(true);
    setExportError(false);
    try {
      await downloadMyData(user.handle);
    } catch {
      setExportError(true);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card className="mx-auto flex max-w-lg flex-col gap-6">
      <PageTitle className="mb-0">{t("account.settingsTitle")}</PageTitle>
      <section className="flex flex-col gap-2">
        <h2 className="font-semibold text-stone-900">{t("account.exportTitle")}</h2>
        <p className="text-sm text-stone-600">{t("account.exportHelp")}</p>
        {exportError && <FormMessage kind="error">{t("common.error")}</FormMessage>}
        <Button variant="secondary" className="self-start" disabled={exporting} data-testid="export-data"
          onClick={() => void onExport()}>
          {exporting ? t("account.exporting") : t("account.exportButton")}
        </Button>
      </section>
      <section className="flex flex-col gap-2 border-t border-stone-200 pt-5">
        <h2 className="font-semibold text-red-700">{t("account.deleteTitle")}</h2>
        <p className="text-sm text-stone-600">{t("account.deleteHelp")}</p>
        <Button variant="danger" className="self-start" data-testid="delete-account" onClick={() => setConfirming(true)}>
          {t("account.deleteButton")}
        </Button>
      </section>
      {confirming && <DeleteDialog handle={user.handle} hasPassword={user.has_password !== false}
        onClose={() => setConfirming(false)}
        onLeaving={(v) => { leaving.current = v; }} />}
    </Card>
  );
}
