"use client";

import Link from "next/link";
import { useHomePosts } from "@/api/posts";
import { InfiniteList } from "@/components/common/infinite-list";
import { PostCard } from "@/components/posts/post-card";
import { RecommendedPosts } from "@/components/search/recommended";
import { buttonVariants } from "@/components/ui/button";
import { PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

export default function HomePage() {
  const t = useT();
  const loggedIn = useAuth((s) => !!s.user);
  const posts = useHomePosts(loggedIn);
  return (
    <div className="mx-auto max-w-2xl">
      <div className="mb-2 flex items-center justify-between">
        <PageTitle className="mb-0">{loggedIn ? t("feed.title") : t("feed.latestTitle")}</PageTitle>
        {loggedIn && (
          <Link href="/posts/new" className={buttonVariants({ size: "sm" })}>
            {t("nav.newPost")}
          </Link>
        )}
      </div>
      {!loggedIn && <p className="mb-4 text-sm text-stone-500">{t("app.tagline")}</p>}
      <RecommendedPosts />
      <InfiniteList
        query={posts}
        getKey={(p) => p.uuid}
        render={(p) => <PostCard post={p} />}
        empty={t("feed.empty")}
      />
    </div>
  );
}
