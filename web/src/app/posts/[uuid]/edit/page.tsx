"use client";

import { useParams } from "next/navigation";
import { usePost } from "@/api/posts";
import { PostForm } from "@/components/posts/post-form";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function EditPostPage() {
  const t = useT();
  const user = useRequireAuth();
  const { uuid } = useParams<{ uuid: string }>();
  const post = usePost(uuid);
  if (!user) return null;
  if (post.isPending) return <Spinner label={t("common.loading")} />;
  if (post.isError || post.data.author.handle !== user.handle) {
    return <FormMessage kind="error">{t("common.notFound")}</FormMessage>;
  }
  return <PostForm post={post.data} />;
}
