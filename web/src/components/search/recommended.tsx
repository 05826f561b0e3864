"use client";

import Link from "next/link";
import { useRecommendedPosts, useSimilarProducts } from "@/api/search";
import type { RecommendedPost } from "@/api/types";
import { ProductCard } from "@/components/products/product-card";
import { Card } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useDwell } from "@/lib/dwell";

function RecommendedItem({ post }: { post: RecommendedPost }) {
  const t = useT();
  const dwell = useDwell("post", post.uuid);
  const title = post.reason.item?.title ?? "";
  const reason =
    post.reason.kind === "popular" || !title ? t("rec.popular") : t(`rec.${post.reason.kind}`, { title });
  return (
    <li ref={dwell} className="w-[70%] min-w-0 shrink-0 snap-start sm:w-auto" data-testid="recommended-post">
      <Link href={`/posts/${post.uuid}`} className="block rounded-xl border border-stone-100 p-3 hover:border-orange-300">
        <div className="truncate font-medium text-stone-900">{post.title}</div>
        <div className="truncate text-xs text-stone-500">@{post.author.handle}</div>
        <div className="mt-1 truncate text-xs text-orange-700" data-testid="recommended-reason">{reason}</div>
      </Link>
    </li>
  );
}

/** "Recommended for you" on the home page, each with why (GET /api/posts/recommend/). */
export function RecommendedPosts() {
  const t = useT();
  const query = useRecommendedPosts(true);
  const results = query.data?.results ?? [];
  if (results.length === 0) return null;
  return (
    <Card className="mb-4" data-testid="recommended">
      <h2 className="mb-2 text-sm font-semibold text-stone-700">{t("rec.title")}</h2>
      {/* Phones: one swipeable row, so the feed starts above the fold; wider: a grid. */}
      <ul
        className="-mx-1 flex snap-x snap-mandatory gap-2 overflow-x-auto px-1 pb-1 sm:mx-0 sm:grid sm:grid-cols-2 sm:overflow-visible sm:px-0"
        data-testid="recommended-list"
      >
        {results.map((p) => <RecommendedItem key={p.uuid} post={p} />)}
      </ul>
    </Card>
  );
}

/** Under a product: GET /api/products/{uuid}/similar/ (never the product itself). */
export function RecommendedProducts({ exclude }: { exclude: string }) {
  const t = useT();
  const query = useSimilarProducts(exclude);
  const results = (query.data?.results ?? []).filter((p) => p.uuid !== exclude).slice(0, 6);
  if (results.length === 0) return null;
  return (
    <section className="md:col-span-2" data-testid="recommended-products">
      <h2 className="mb-2 font-semibold text-stone-800">{t("rec.similarProducts")}</h2>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {results.map((p) => <li key={p.uuid}><ProductCard product={p} /></li>)}
      </ul>
    </section>
  );
}
