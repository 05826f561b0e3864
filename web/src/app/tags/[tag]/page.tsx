import type { CursorPage, Post } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { decodeSegment } from "@/lib/server-rendered";
import { apiGet } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { TagView } from "./tag-view";

/** A tag's newest posts and the trending tags, read on the server (in the HTML of a cold load). */
export default async function TagPage({ params }: PageProps<"/tags/[tag]">) {
  const tag = decodeSegment((await params).tag).replace(/^#+/, "");
  const [posts, trending] = await Promise.all([
    apiGet<CursorPage<Post>>(`/api/posts/p/?tag=${encodeURIComponent(tag)}`),
    apiGet<unknown>("/api/tags/trending/"),
  ]);
  const seeds = new Seeds();
  if (posts.ok) seeds.firstPage(seedKeys.tagPosts(tag), posts.data);
  if (trending.ok) seeds.item(seedKeys.trendingTags(), trending.data);
  return (
    <ServerData state={seeds.state()}>
      <TagView />
    </ServerData>
  );
}
