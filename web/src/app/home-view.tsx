"use client";

import Link from "next/link";
import { useState } from "react";
import { useHomePosts } from "@/api/posts";
import { InfiniteList } from "@/components/common/infinite-list";
import { Suggestions } from "@/components/follows/suggestions";
import { PostCard } from "@/components/posts/post-card";
import { TrendingTags } from "@/components/posts/trending-tags";
import { RecommendedPosts } from "@/components/search/recommended";
import { buttonVariants } from "@/components/ui/button";
import { PageTitle, Spinner } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

/**
 * Home: the member's feed, or the latest posts for visitors (their first page comes from the
 * server page, page.tsx). `waitForSession`: the browser said it holds a session, so nothing is
 * shown until it is read (no visitor page flashing before the member's feed).
 */
export function HomeView({ waitForSession = false }: { waitForSession?: boolean }) {
  const t = useT();
  const hydrated = useAuth((s) => s.hydrated);
  const loggedIn = useAuth((s) => !!s.user);
  const posts = useHomePosts(loggedIn);
  const feedEmpty = loggedIn && posts.isSuccess && posts.data.pages[0]?.results.length === 0;
  // Once shown, suggestions stay while the member follows people (their posts then fill the
  // feed below instead of the panel vanishing after the first follow).
  const [suggesting, setSuggesting] = useState(false);
  if (feedEmpty && !suggesting) setSuggesting(true);
  if (waitForSession && !hydrated) return <Spinner label={t("common.loading")} />;
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
      {loggedIn && suggesting && <Suggestions intro={t("feed.emptyFollow")} />}
      <TrendingTags />
      <RecommendedPosts />
      <InfiniteList
        query={posts}
        getKey={(p) => p.uuid}
        render={(p) => <PostCard post={p} />}
        empty={suggesting ? null : t("feed.empty")}
      />
    </div>
  );
}
