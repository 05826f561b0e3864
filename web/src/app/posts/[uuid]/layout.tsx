import type { Metadata } from "next";
import type { Post } from "@/api/types";
import { itemMetadata } from "@/lib/page-meta";
import { apiGet } from "@/lib/server/api";

export async function generateMetadata({ params }: LayoutProps<"/posts/[uuid]">): Promise<Metadata> {
  const { uuid } = await params;
  // The same read as the page's (lib/server/api.ts: one request for both).
  const found = await apiGet<Post>(`/api/posts/p/${encodeURIComponent(uuid)}/`);
  if (!found.ok) return { title: "게시글" };
  const post = found.data;
  return itemMetadata({
    title: post.title,
    description: post.text,
    images: post.images,
    path: `/posts/${post.uuid}`,
    type: "article",
  });
}

export default function PostLayout({ children }: LayoutProps<"/posts/[uuid]">) {
  return children;
}
