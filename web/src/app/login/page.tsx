"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { useLogin } from "@/api/accounts";
import { fieldErrors, formError, toApiError } from "@/api/errors";
import { GoogleButton } from "@/components/auth/google-button";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";
import { safeNext } from "@/lib/use-require-auth";

function LoginForm() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const error = login.error ? toApiError(login.error) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password },
      { onSuccess: () => router.replace(safeNext(params.get("next"))) },
    );
  };

  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.loginTitle")}</PageTitle>
      {params.get("loggedOut") && <FormMessage kind="success">{t("auth.loggedOut")}</FormMessage>}
      {params.get("expired") && (
        <div data-testid="session-expired">
          <FormMessage kind="error">{t("auth.sessionExpired")}</FormMessage>
        </div>
      )}
      <form onSubmit={onSubmit} className="mt-3 flex flex-col gap-3" noValidate>
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <TextField
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fieldErrors(error, "email")}
          required
        />
        <TextField
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(error, "password") ?? fieldErrors(error, "non_field_errors")}
          required
        />
        <Button type="submit" block disabled={login.isPending}>
          {t("auth.loginButton")}
        </Button>
      </form>
      <div className="mt-3">
        <GoogleButton next={safeNext(params.get("next"))} />
      </div>
      <div className="mt-4 flex flex-col gap-1 text-sm text-stone-600">
        <Link href="/reset-password" className="text-orange-600 hover:underline">
          {t("auth.forgot")}
        </Link>
        <p>
          {t("auth.noAccount")}{" "}
          <Link href="/signup" className="text-orange-600 hover:underline">
            {t("nav.signup")}
          </Link>
        </p>
      </div>
    </Card>
  );
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
