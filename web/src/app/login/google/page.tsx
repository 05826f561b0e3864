"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useRef, useState } from "react";
import { useGoogleLogin } from "@/api/accounts";
import { errorText, toApiError } from "@/api/errors";
import { Card, PageTitle, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { googleRedirectUri, takePendingSignIn } from "@/lib/google";
import { safeNext } from "@/lib/use-require-auth";

/** Where Google sends the browser back: check the state, trade the code for our session. */
function GoogleCallback() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const login = useGoogleLogin();
  const [problem, setProblem] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // React's development double effect: one exchange only
    started.current = true;
    const finish = async () => {
      if (params.get("error")) {
        setProblem(t("auth.googleCancelled"));
        return;
      }
      const pending = takePendingSignIn(params.get("state"));
      const code = params.get("code");
      if (!pending || !code) {
        setProblem(t("auth.googleFailed"));
        return;
      }
      try {
        await login.mutateAsync({
          code,
          redirect_uri: googleRedirectUri(),
          code_verifier: pending.verifier,
        });
        router.replace(safeNext(pending.next));
      } catch (error) {
        setProblem(errorText(toApiError(error)));
      }
    };
    void finish();
  }, [login, params, router, t]);

  return (
    <Card className="mx-auto max-w-sm">
      <PageTitle>{t("auth.loginTitle")}</PageTitle>
      {problem ? (
        <div className="flex flex-col gap-3" data-testid="google-problem">
          <FormMessage kind="error">{problem}</FormMessage>
          <Link href="/login" className="text-sm text-orange-600 hover:underline">
            {t("auth.backToLogin")}
          </Link>
        </div>
      ) : (
        <Spinner label={t("auth.googleSigningIn")} />
      )}
    </Card>
  );
}

export default function GoogleCallbackPage() {
  return (
    <Suspense>
      <GoogleCallback />
    </Suspense>
  );
}
