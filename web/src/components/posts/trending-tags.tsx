"use client";

import Link from "next/link";
import { tagHref, useTrendingTags } from "@/api/posts";
import { useT } from "@/i18n";

/** Tags on the most posts of the last 24 hours, as links; nothing while there are none. */
export function TrendingTags() {
  const t = useT();
  const trending = useTrendingTags();
  if (!trending.data || trending.data.length === 0) return null;
  return (
    <nav aria-label={t("tags.trending")} className="mb-4" data-testid="trending-tags">
      <h2 className="mb-1 text-xs font-semibold text-stone-500">{t("tags.trending")}</h2>
      <div className="flex gap-1 overflow-x-auto pb-1">
        {trending.data.map((tag) => (
          <Link
            key={tag.name}
            href={tagHref(tag.name)}
            className="shrink-0 rounded-full border border-orange-200 bg-white px-3 py-1 text-xs text-orange-700 hover:bg-orange-50"
            title={t("tags.postCount", { n: tag.post_count })}
          >
            #{tag.name}
          </Link>
        ))}
      </div>
    </nav>
  );
}
