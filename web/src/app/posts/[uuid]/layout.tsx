import type { Metadata } from "next";
import type { Post } from "@/api/types";
import { fetchApi, itemMetadata } from "@/lib/page-meta";

export async function generateMetadata({ params }: LayoutProps<"/posts/[uuid]">): Promise<Metadata> {
  const { uuid } = await params;
  const post = await fetchApi<Post>(`/api/posts/p/${encodeURIComponent(uuid)}/`);
  if (!post) return { title: "게시글" };
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
