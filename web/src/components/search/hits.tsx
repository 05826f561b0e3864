"use client";

import Link from "next/link";
import type { PostHit, ProductHit, UserHit } from "@/api/types";
import { Highlighted, MarkTerms } from "@/components/search/highlight";
import { Card } from "@/components/ui/card";
import { Avatar, ResponsiveImage } from "@/components/ui/responsive-image";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatPrice, useLocale, useT } from "@/i18n";
import { useDwell } from "@/lib/dwell";

export function PostHitCard({ hit }: { hit: PostHit }) {
  const t = useT();
  const dwell = useDwell("post", hit.uuid);
  return (
    <div ref={dwell}>
    <Card className="flex flex-col gap-1" data-testid="search-post">
      <Link href={`/posts/${hit.uuid}`} className="font-semibold text-stone-900 hover:text-orange-600">
        <MarkTerms text={hit.title} terms={hit.highlights} />
      </Link>
      <Highlighted html={hit.snippet_html} className="line-clamp-3 text-sm text-stone-700" />
      <span className="text-xs text-stone-500">
        @{hit.author.handle} · <RelativeTime iso={hit.created_at} /> · ♥ {hit.like_count} ·{" "}
        {t("post.comments", { n: hit.comment_count })}
      </span>
    </Card>
    </div>
  );
}

export function ProductHitCard({ hit }: { hit: ProductHit }) {
  const locale = useLocale((s) => s.locale);
  const dwell = useDwell("product", hit.uuid);
  return (
    <Link
      ref={dwell}
      href={`/products/${hit.uuid}`}
      data-testid="search-product"
      className="flex gap-3 rounded-2xl border border-stone-200 bg-white p-3 shadow-sm hover:border-orange-300"
    >
      <ResponsiveImage image={hit.image} alt={hit.name} sizes="80px" className="h-20 w-20 shrink-0 rounded-lg" />
      <div className="min-w-0">
        <div className="font-semibold text-stone-900"><MarkTerms text={hit.name} terms={hit.highlights} /></div>
        <div className="font-bold text-orange-600">{formatPrice(hit.price, hit.currency, locale)}</div>
        <Highlighted html={hit.snippet_html} className="line-clamp-2 text-xs text-stone-600" />
      </div>
    </Link>
  );
}

export function UserHitCard({ hit }: { hit: UserHit }) {
  const t = useT();
  return (
    <Link
      href={`/u/${hit.handle}`}
      data-testid="search-user"
      className="flex items-center gap-3 rounded-2xl border border-stone-200 bg-white p-3 shadow-sm hover:border-orange-300"
    >
      <Avatar user={hit} size={40} />
      <div className="min-w-0">
        <div className="font-semibold text-stone-900"><MarkTerms text={hit.display_name || hit.handle} terms={hit.highlights} /></div>
        <div className="text-xs text-stone-500">
          @<MarkTerms text={hit.handle} terms={hit.highlights} /> · {t("search.followers", { n: hit.follower_count })}
        </div>
      </div>
    </Link>
  );
}
