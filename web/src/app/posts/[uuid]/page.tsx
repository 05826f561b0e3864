import { notFound } from "next/navigation";
import type { Comment, CursorPage, Post } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { apiGet, memberHint } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { PostView } from "./post-view";

/**
 * The post and its first page of comments, read on the server: a cold load shows them in the
 * HTML. A post the API does not show a visitor is the 404 page, unless the browser holds a session
 * (an author's draft): then the browser reads it with the session, as before. Any other API
 * trouble renders the client page, which fetches for itself.
 */
export default async function PostPage({ params }: PageProps<"/posts/[uuid]">) {
  const { uuid } = await params;
  const id = encodeURIComponent(uuid);
  const [post, comments] = await Promise.all([
    apiGet<Post>(`/api/posts/p/${id}/`),
    apiGet<CursorPage<Comment>>(`/api/comments/?post=${id}`),
  ]);
  if (!post.ok && post.status === 404 && !(await memberHint())) notFound();
  const seeds = new Seeds();
  if (post.ok) {
    seeds.item(seedKeys.post(uuid), post.data);
    if (comments.ok) seeds.firstPage(seedKeys.comments(uuid), comments.data);
  }
  return (
    <ServerData state={seeds.state()}>
      <PostView />
    </ServerData>
  );
}
