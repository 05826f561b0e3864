"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useRequireAuth } from "@/lib/use-require-auth";

/** Staff pages: the API refuses others anyway (403); this only avoids a broken page. */
export function StaffPage({ active, children }: { active: "queue" | "appeals" | "stats"; children: ReactNode }) {
  const t = useT();
  const user = useRequireAuth();
  if (!user) return null;
  if (!user.is_staff) return <FormMessage kind="error">{t("staff.onlyStaff")}</FormMessage>;
  const tab = (on: boolean) =>
    cn("rounded-lg px-3 py-1.5 text-sm", on ? "bg-orange-500 text-white" : "text-stone-600 hover:bg-stone-100");
  return (
    <div className="flex flex-col gap-4">
      <nav className="flex flex-wrap gap-2" aria-label="staff">
        <Link href="/staff/reports" className={tab(active === "queue")}>{t("staff.queue")}</Link>
        <Link href="/staff/appeals" className={tab(active === "appeals")} data-testid="staff-tab-appeals">{t("staff.appeals")}</Link>
        <Link href="/staff/stats" className={tab(active === "stats")}>{t("staff.stats")}</Link>
      </nav>
      {children}
    </div>
  );
}
