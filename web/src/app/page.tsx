"use client";

import { Card, PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";

export default function HomePage() {
  const t = useT();
  return (
    <Card>
      <PageTitle>{t("app.name")}</PageTitle>
      <p className="text-stone-600">{t("app.tagline")}</p>
    </Card>
  );
}
