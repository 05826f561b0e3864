"use client";

import { useState } from "react";
import { useT } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";
import { cn } from "@/lib/cn";

const TABS = [
  { id: "posts", label: "profile.tabPosts" },
  { id: "products", label: "profile.tabProducts" },
  { id: "comments", label: "profile.tabComments" },
  { id: "likes", label: "profile.tabLikes" },
] as const satisfies readonly { id: string; label: MessageKey }[];

export type ProfileTab = (typeof TABS)[number]["id"];

export function ProfileTabs({ handle }: { handle: string }) {
  const t = useT();
  const [tab, setTab] = useState<ProfileTab>("posts");
  return (
    <section className="mt-6">
      <div role="tablist" className="mb-4 flex gap-1 border-b border-stone-200">
        {TABS.map((item) => (
          <button
            key={item.id}
            role="tab"
            type="button"
            aria-selected={tab === item.id}
            onClick={() => setTab(item.id)}
            className={cn(
              "-mb-px border-b-2 px-4 py-2 text-sm",
              tab === item.id
                ? "border-orange-500 font-semibold text-orange-600"
                : "border-transparent text-stone-500 hover:text-stone-800",
            )}
          >
            {t(item.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" data-handle={handle} className="py-10 text-center text-sm text-stone-500">
        {t("common.comingSoon")}
      </div>
    </section>
  );
}
