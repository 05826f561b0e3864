"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { toApiError } from "@/api/errors";
import { useDeletePost, useLikePost, usePost } from "@/api/posts";
import { CommentSection } from "@/components/posts/comment-section";
import { RichText, TagLinks } from "@/components/posts/rich-text";
import { LikeButton } from "@/components/posts/like-button";
import { ReportButton } from "@/components/reports/report-button";
import { useDwell } from "@/lib/dwell";
import { AuthorLine } from "@/components/posts/post-card";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { Carousel } from "@/components/images/carousel";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

/** The post and its comments; its first data comes from the server page (page.tsx). */
export function PostView() {
  const t = useT();
  const router = useRouter();
  const { uuid } = useParams<{ uuid: string }>();
  const me = useAuth((s) => s.user);
  const query = usePost(uuid);
  const dwell = useDwell("post", uuid);
  const like = useLikePost(uuid);
  const remove = useDeletePost();

  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) {
    const err = toApiError(query.error);
    return <FormMessage kind="error">{err.status === 404 ? t("common.notFound") : t("common.error")}</FormMessage>;
  }
  const post = query.data;
  const mine = me?.handle === post.author.handle;

  return (
    <article ref={dwell} className="mx-auto max-w-2xl">
      <Card className="flex flex-col gap-4">
        <div className="flex items-start justify-between gap-2">
          <AuthorLine author={post.author} date={post.created_at} />
          {mine && (
            <div className="flex gap-1">
              <Link href={`/posts/${post.uuid}/edit`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                {t("common.edit")}
              </Link>
              <Button variant="ghost" size="sm" className="text-red-600"
                onClick={() => window.confirm(t("common.confirmDelete")) &&
                  remove.mutate(post.uuid, { onSuccess: () => router.replace("/") })}>
                {t("common.delete")}
              </Button>
            </div>
          )}
        </div>
        <h1 className="text-2xl font-bold text-stone-900" data-testid="post-title">
          {post.status === "draft" && (
            <span className="mr-2 rounded bg-stone-200 px-1.5 py-0.5 align-middle text-xs font-medium text-stone-600">
              {t("post.draftBadge")}
            </span>
          )}
          {post.title}
        </h1>
        {post.category && (
          <span className="w-fit rounded-full bg-stone-100 px-2 py-0.5 text-xs text-stone-600">
            {t(`category.${post.category}`)}
          </span>
        )}
        <Carousel images={post.images.filter((i) => i.status === "ready")} alt={post.title} />
        <RichText text={post.text} mentions={post.mentions} className="text-stone-800" testId="post-text" />
        <TagLinks tags={post.tags} />
        <div className="flex items-center gap-3 border-t border-stone-100 pt-3 text-xs text-stone-500">
          <LikeButton liked={post.liked} count={post.like_count} onToggle={(v) => like.mutate(v)} testId="post-like" />
          <span>{t("post.comments", { n: post.comment_count })}</span>
          <span>{t("post.views", { n: post.view_count })}</span>
          {!mine && <ReportButton targetType="post" target={post.uuid} className="ml-auto" />}
        </div>
      </Card>
      <CommentSection post={post.uuid} postAuthor={post.author.handle} />
    </article>
  );
}
