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

function PostsTab({ handle }: { handle: string }) {
  const posts = useUserPosts(handle);
  return <InfiniteList query={posts} getKey={(p) => p.uuid} render={(p) => <PostCard post={p} />} />;
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
        {tab === "products" && <ProductsTab handle={handle} />}
        {tab === "comments" && <CommentsTab handle={handle} />}
        {tab === "likes" && <LikesTab handle={handle} />}
      </div>
    </section>
  );
}
