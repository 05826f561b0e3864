"use client";

import Link from "next/link";
import { useState } from "react";
import { useUserComments } from "@/api/comments";
import { useLikedPosts, useUserPosts } from "@/api/posts";
import { useUserProducts } from "@/api/products";
import { InfiniteList } from "@/components/common/infinite-list";
import { AuthorLine, PostCard } from "@/components/posts/post-card";
import { ProductCard } from "@/components/products/product-card";
import { Card } from "@/components/ui/card";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";
import type { MessageKey } from "@/i18n/ko";
import { cn } from "@/lib/cn";

const TABS = [
  { id: "posts", label: "profile.tabPosts" },
  { id: "grid", label: "profile.tabGrid" },
  { id: "products", label: "profile.tabProducts" },
  { id: "comments", label: "profile.tabComments" },
  { id: "likes", label: "profile.tabLikes" },
] as const satisfies readonly { id: string; label: MessageKey }[];

export type ProfileTab = (typeof TABS)[number]["id"];

function PostsTab({ handle }: { handle: string }) {
  const posts = useUserPosts(handle);
  return <InfiniteList query={posts} getKey={(p) => p.uuid} render={(p) => <PostCard post={p} />} />;
}

/** The user's posts as a grid of square covers (three across), Instagram-style. */
function GridTab({ handle }: { handle: string }) {
  const t = useT();
  const posts = useUserPosts(handle);
  return (
    <InfiniteList
      query={posts}
      getKey={(p) => p.uuid}
      empty={t("profile.gridEmpty")}
      className="grid grid-cols-3 gap-1"
      render={(p) => {
        const cover = p.images.find((i) => i.status === "ready");
        return (
          <Link
            href={`/posts/${p.uuid}`}
            data-testid="grid-tile"
            aria-label={p.title || p.text.slice(0, 40)}
            className="relative block aspect-square overflow-hidden rounded bg-stone-100"
          >
            {cover ? (
              <ResponsiveImage
                image={cover}
                alt={p.title}
                sizes="(min-width: 768px) 220px, 33vw"
                className="h-full w-full"
              />
            ) : (
              <span className="line-clamp-4 p-2 text-xs text-stone-600">
                <span className="sr-only">{t("profile.gridTextOnly")}: </span>
                {p.title || p.text}
              </span>
            )}
          </Link>
        );
      }}
    />
  );
}

function LikesTab({ handle }: { handle: string }) {
  const posts = useLikedPosts(handle);
  return <InfiniteList query={posts} getKey={(p) => p.uuid} render={(p) => <PostCard post={p} />} />;
}

function ProductsTab({ handle }: { handle: string }) {
  const products = useUserProducts(handle);
  return (
    <InfiniteList
      query={products}
      getKey={(p) => p.uuid}
      className="grid grid-cols-2 gap-3 sm:grid-cols-3"
      render={(p) => <ProductCard product={p} />}
    />
  );
}

function CommentsTab({ handle }: { handle: string }) {
  const t = useT();
  const comments = useUserComments(handle);
  return (
    <InfiniteList
      query={comments}
      getKey={(c) => c.uuid}
      render={(c) => (
        <Card className="flex flex-col gap-2" data-testid="user-comment">
          <AuthorLine author={c.author} date={c.created_at} />
          <p className="whitespace-pre-line text-sm text-stone-800">{c.text}</p>
          <Link href={`/posts/${c.post}`} className="text-xs text-orange-600 hover:underline">
            {t("comment.onPost")}
          </Link>
        </Card>
      )}
    />
  );
}

export function ProfileTabs({ handle }: { handle: string }) {
  const t = useT();
  const [tab, setTab] = useState<ProfileTab>("posts");
  return (
    <section className="mt-6">
      <div role="tablist" className="mb-4 flex gap-1 overflow-x-auto border-b border-stone-200">
        {TABS.map((item) => (
          <button
            key={item.id}
            role="tab"
            type="button"
            aria-selected={tab === item.id}
            onClick={() => setTab(item.id)}
            className={cn(
              "-mb-px shrink-0 border-b-2 px-4 py-2 text-sm",
              tab === item.id
                ? "border-orange-500 font-semibold text-orange-600"
                : "border-transparent text-stone-500 hover:text-stone-800",
            )}
          >
            {t(item.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "posts" && <PostsTab handle={handle} />}
        {tab === "grid" && <GridTab handle={handle} />}
        {tab === "products" && <ProductsTab handle={handle} />}
        {tab === "comments" && <CommentsTab handle={handle} />}
        {tab === "likes" && <LikesTab handle={handle} />}
      </div>
    </section>
  );
}
