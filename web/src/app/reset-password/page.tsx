"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { useConfirmPasswordReset, useRequestPasswordReset } from "@/api/accounts";
import { fieldErrors, formError, toApiError } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";

function RequestForm() {
  const t = useT();
  const reset = useRequestPasswordReset();
  const [email, setEmail] = useState("");
  const error = reset.error ? toApiError(reset.error) : null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ email });
  };
  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.resetTitle")}</PageTitle>
      <p className="mb-3 text-sm text-stone-600">{t("auth.resetHelp")}</p>
      {reset.isSuccess ? (
        <FormMessage kind="success">{t("auth.resetSent")}</FormMessage>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
          {error && formError(error) && (
            <FormMessage kind="error">{formError(error)}</FormMessage>
          )}
          <TextField label={t("auth.email")} name="email" type="email" value={email}
            onChange={(e) => setEmail(e.target.value)} errors={fieldErrors(error, "email")} required />
          <Button type="submit" block disabled={reset.isPending}>{t("auth.resetSend")}</Button>
        </form>
      )}
    </Card>
  );
}

function ConfirmForm({ uid, token }: { uid: string; token: string }) {
  const t = useT();
  const confirm = useConfirmPasswordReset();
  const [p1, setP1] = useState("");
  const [p2, setP2] = useState("");
  const error = confirm.error ? toApiError(confirm.error) : null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({ uid, token, new_password1: p1, new_password2: p2 });
  };
  const linkError = fieldErrors(error, "uid") ?? fieldErrors(error, "token");
  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.resetConfirmTitle")}</PageTitle>
      {confirm.isSuccess ? (
        <>
          <FormMessage kind="success">{t("auth.resetDone")}</FormMessage>
          <Link href="/login" className="mt-3 inline-block text-orange-600 hover:underline">{t("nav.login")}</Link>
        </>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
          {(linkError || formError(error)) && (
            <FormMessage kind="error">{linkError?.join(" ") || formError(error)}</FormMessage>
          )}
          <TextField label={t("auth.newPassword1")} name="new_password1" type="password" autoComplete="new-password"
            value={p1} onChange={(e) => setP1(e.target.value)} errors={fieldErrors(error, "new_password1")} required />
          <TextField label={t("auth.newPassword2")} name="new_password2" type="password" autoComplete="new-password"
            value={p2} onChange={(e) => setP2(e.target.value)}
            errors={fieldErrors(error, "new_password2") ?? fieldErrors(error, "non_field_errors")} required />
          <Button type="submit" block disabled={confirm.isPending}>{t("common.save")}</Button>
        </form>
      )}
    </Card>
  );
}

function ResetPassword() {
  const params = useSearchParams();
  const uid = params.get("uid");
  const token = params.get("token");
  return uid && token ? <ConfirmForm uid={uid} token={token} /> : <RequestForm />;
}

export default function ResetPasswordPage() {
  return (
    <Suspense>
      <ResetPassword />
    </Suspense>
  );
}
