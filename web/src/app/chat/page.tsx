"use client";

import { useT } from "@/i18n";

export default function Page() {
  const t = useT();
  return (
    <div className="flex h-full items-center justify-center p-6 text-sm text-stone-500">
      {t("chat.pickRoom")}
    </div>
  );
}
