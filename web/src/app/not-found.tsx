"use client";

import Link from "next/link";
import { Card } from "@/components/ui/card";
import { useT } from "@/i18n";

/** Unknown addresses: in the UI language, with a way back (Next.js's default page is English). */
export default function NotFound() {
  const t = useT();
  return (
    <Card className="mx-auto flex max-w-md flex-col items-center gap-3 py-10 text-center" data-testid="not-found">
      <p className="text-4xl font-extrabold text-orange-500">404</p>
      <h1 className="text-lg font-semibold text-stone-900">{t("notFound.title")}</h1>
      <p className="text-sm text-stone-600">{t("notFound.body")}</p>
      <Link href="/" className="rounded-lg bg-orange-500 px-4 py-2 text-sm font-medium text-white hover:bg-orange-600">
        {t("notFound.home")}
      </Link>
    </Card>
  );
}
