"use client";

import { useState, type FormEvent } from "react";
import { useChangePassword } from "@/api/accounts";
import { fieldErrors, formError, toApiError } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function ChangePasswordPage() {
  const t = useT();
  const user = useRequireAuth();
  const change = useChangePassword();
  const [form, setForm] = useState({ old_password: "", new_password1: "", new_password2: "" });
  const error = change.error ? toApiError(change.error) : null;
  if (!user) return null;
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(form, {
      onSuccess: () => setForm({ old_password: "", new_password1: "", new_password2: "" }),
    });
  };
  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.changePasswordTitle")}</PageTitle>
      <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
        {change.isSuccess && <FormMessage kind="success">{t("auth.changePasswordDone")}</FormMessage>}
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <TextField label={t("auth.oldPassword")} name="old_password" type="password" autoComplete="current-password"
          value={form.old_password} onChange={set("old_password")} errors={fieldErrors(error, "old_password")} />
        <TextField label={t("auth.newPassword1")} name="new_password1" type="password" autoComplete="new-password"
          value={form.new_password1} onChange={set("new_password1")} errors={fieldErrors(error, "new_password1")} />
        <TextField label={t("auth.newPassword2")} name="new_password2" type="password" autoComplete="new-password"
          value={form.new_password2} onChange={set("new_password2")}
          errors={fieldErrors(error, "new_password2") ?? fieldErrors(error, "non_field_errors")} />
        <Button type="submit" block disabled={change.isPending}>{t("common.save")}</Button>
      </form>
    </Card>
  );
}
