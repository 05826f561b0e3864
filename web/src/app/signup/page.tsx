"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useRegister } from "@/api/accounts";
import { fieldErrors, formError, toApiError } from "@/api/errors";
import type { RegistrationRequest } from "@/api/types";
import { GoogleButton } from "@/components/auth/google-button";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";

export default function SignupPage() {
  const t = useT();
  const router = useRouter();
  const register = useRegister();
  const [form, setForm] = useState<RegistrationRequest>({
    email: "",
    handle: "",
    display_name: "",
    password1: "",
    password2: "",
  });
  const error = register.error ? toApiError(register.error) : null;
  const set = (name: keyof RegistrationRequest) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate(form, { onSuccess: (data) => router.replace(`/u/${data.user.handle}`) });
  };

  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.signupTitle")}</PageTitle>
      <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <TextField label={t("auth.email")} name="email" type="email" autoComplete="email"
          value={form.email} onChange={set("email")} errors={fieldErrors(error, "email")} required />
        <TextField label={t("auth.handle")} name="handle" autoComplete="username" help={t("auth.handleHelp")}
          value={form.handle} onChange={set("handle")} errors={fieldErrors(error, "handle")} required />
        <TextField label={t("auth.displayName")} name="display_name" autoComplete="name"
          value={form.display_name ?? ""} onChange={set("display_name")} errors={fieldErrors(error, "display_name")} />
        <TextField label={t("auth.password1")} name="password1" type="password" autoComplete="new-password"
          value={form.password1} onChange={set("password1")} errors={fieldErrors(error, "password1")} required />
        <TextField label={t("auth.password2")} name="password2" type="password" autoComplete="new-password"
          value={form.password2} onChange={set("password2")}
          errors={fieldErrors(error, "password2") ?? fieldErrors(error, "non_field_errors")} required />
        <Button type="submit" block disabled={register.isPending}>
          {t("auth.signupButton")}
        </Button>
      </form>
      <div className="mt-3">
        <GoogleButton next="/" />
      </div>
      <p className="mt-4 text-sm text-stone-600">
        {t("auth.haveAccount")}{" "}
        <Link href="/login" className="text-orange-600 hover:underline">
          {t("nav.login")}
        </Link>
      </p>
    </Card>
  );
}
