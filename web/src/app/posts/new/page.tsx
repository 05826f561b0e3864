"use client";

import { PostForm } from "@/components/posts/post-form";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function NewPostPage() {
  const user = useRequireAuth();
  return user ? <PostForm /> : null;
}
