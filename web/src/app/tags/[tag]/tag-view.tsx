"use client";

import { useParams } from "next/navigation";
import { useTagPosts } from "@/api/posts";
import { InfiniteList } from "@/components/common/infinite-list";
import { PostCard } from "@/components/posts/post-card";
import { TrendingTags } from "@/components/posts/trending-tags";
import { PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";
import { decodeSegment } from "@/lib/server-rendered";

/** A tag's posts; the first page comes from the server page (page.tsx). */
export function TagView() {
  const t = useT();
  const params = useParams<{ tag: string }>();
  const tag = decodeSegment(params.tag).replace(/^#+/, "");
  const posts = useTagPosts(tag);
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>
        <span data-testid="tag-title">#{tag}</span>
      </PageTitle>
      <TrendingTags />
      <InfiniteList
        query={posts}
        getKey={(p) => p.uuid}
        render={(p) => <PostCard post={p} />}
        empty={t("tags.empty")}
      />
    </div>
  );
}
