"use client";

import { useState } from "react";
import { useGoogleConfig } from "@/api/accounts";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { startGoogleSignIn } from "@/lib/google";

/** "Continue with Google": shown only when the server has Google sign-in on. */
export function GoogleButton({ next }: { next: string }) {
  const t = useT();
  const config = useGoogleConfig();
  const [failed, setFailed] = useState(false);
  if (!config.data?.enabled) return null;
  const start = () => {
    setFailed(false);
    startGoogleSignIn(config.data, next).catch(() => setFailed(true));
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2 text-xs text-stone-500" aria-hidden>
        <span className="h-px flex-1 bg-stone-200" />
        {t("auth.or")}
        <span className="h-px flex-1 bg-stone-200" />
      </div>
      <Button type="button" variant="secondary" block onClick={start} data-testid="google-signin">
        <svg viewBox="0 0 48 48" className="mr-2 h-4 w-4 shrink-0" aria-hidden>
          <path fill="#EA4335" d="M24 9.5c3.5 0 6.6 1.2 9 3.5l6.7-6.7C35.6 2.4 30.2 0 24 0 14.6 0 6.6 5.4 2.7 13.2l7.8 6.1C12.4 13.5 17.7 9.5 24 9.5z" />
          <path fill="#4285F4" d="M46.5 24.5c0-1.6-.1-3.1-.4-4.5H24v9h12.7c-.6 3-2.3 5.5-4.8 7.2l7.6 5.9c4.4-4.1 7-10.2 7-17.6z" />
          <path fill="#FBBC05" d="M10.5 28.7c-.5-1.4-.8-3-.8-4.7s.3-3.2.8-4.7l-7.8-6.1C1 16.6 0 20.2 0 24s1 7.4 2.7 10.8l7.8-6.1z" />
          <path fill="#34A853" d="M24 48c6.5 0 11.9-2.1 15.9-5.8l-7.6-5.9c-2.1 1.4-4.9 2.3-8.3 2.3-6.3 0-11.6-4-13.5-9.7l-7.8 6.1C6.6 42.6 14.6 48 24 48z" />
        </svg>
        {t("auth.google")}
      </Button>
      {failed && <FormMessage kind="error">{t("auth.googleFailed")}</FormMessage>}
    </div>
  );
}
