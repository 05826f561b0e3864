"use client";

import { Card, PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";

export default function Page() {
  const t = useT();
  return (
    <Card className="mx-auto max-w-lg">
      <PageTitle>{t("chat.title")}</PageTitle>
      <p className="text-sm text-stone-500">{t("common.comingSoon")}</p>
    </Card>
  );
}
