"use client";

import Link from "next/link";
import { useLikePost } from "@/api/posts";
import type { Post } from "@/api/types";
import { LikeButton } from "@/components/posts/like-button";
import { RichText, TagLinks } from "@/components/posts/rich-text";
import { Card } from "@/components/ui/card";
import { Avatar, ResponsiveImage } from "@/components/ui/responsive-image";
import { RelativeTime } from "@/components/ui/relative-time";
import { useT } from "@/i18n";
import { useDwell } from "@/lib/dwell";

export function AuthorLine({ author, date }: { author: Post["author"]; date: string }) {
  return (
    <div className="flex items-center gap-2">
      <Avatar user={author} size={32} />
      <div className="min-w-0 leading-tight">
        <Link href={`/u/${author.handle}`} className="text-sm font-semibold text-stone-900 hover:underline">
          {author.display_name || author.handle}
        </Link>
        <div className="text-xs text-stone-500">
          @{author.handle} · <RelativeTime iso={date} />
        </div>
      </div>
    </div>
  );
}

export function PostCard({ post }: { post: Post }) {
  const t = useT();
  const like = useLikePost(post.uuid);
  const ready = post.images.filter((i) => i.status === "ready");
  const cover = ready[0];
  const dwell = useDwell("post", post.uuid);
  return (
    <div ref={dwell}>
    <Card className="flex flex-col gap-3" data-testid="post-card">
      <AuthorLine author={post.author} date={post.created_at} />
      <Link href={`/posts/${post.uuid}`} className="group flex flex-col gap-2">
        <h2 className="text-lg font-bold text-stone-900 group-hover:text-orange-600">
          {post.status === "draft" && (
            <span className="mr-2 rounded bg-stone-200 px-1.5 py-0.5 align-middle text-xs font-medium text-stone-600">
              {t("post.draftBadge")}
            </span>
          )}
          {post.title}
        </h2>
        {cover && (
          <div className="relative">
            <ResponsiveImage
              image={cover}
              alt={post.title}
              sizes="(min-width: 768px) 640px, 100vw"
              className="aspect-[4/3] w-full rounded-xl"
            />
            {ready.length > 1 && (
              // More photos than the cover: say how many (the post page shows them all).
              <span
                data-testid="more-photos"
                className="absolute right-2 top-2 rounded-full bg-black/60 px-2 py-0.5 text-xs font-medium text-white"
              >
                {t("post.morePhotos", { n: ready.length })}
              </span>
            )}
          </div>
        )}
      </Link>
      {/* Outside the card's link: mentions inside are links of their own. */}
      <RichText text={post.text} mentions={post.mentions} className="line-clamp-3 text-sm text-stone-700" />
      <TagLinks tags={post.tags} />
      <div className="flex items-center gap-3 text-xs text-stone-500">
        <LikeButton
          liked={post.liked}
          count={post.like_count}
          onToggle={(v) => like.mutate(v)}
          testId="post-like"
        />
        <Link href={`/posts/${post.uuid}#comments`} className="hover:underline">
          {t("post.comments", { n: post.comment_count })}
        </Link>
        <span>{t("post.views", { n: post.view_count })}</span>
      </div>
    </Card>
    </div>
  );
}
