import type { CursorPage, Post } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { apiGet, memberHint } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { HomeView } from "./home-view";

/**
 * Visitors: the latest posts and the trending tags, read on the server (in the HTML of a cold
 * load). A browser that holds a session (the `member` hint cookie) gets the member's feed from the
 * browser, as before: the server cannot read it without the session.
 */
export default async function HomePage() {
  if (await memberHint()) return <HomeView waitForSession />;
  const [latest, trending] = await Promise.all([
    apiGet<CursorPage<Post>>("/api/posts/latest/"),
    apiGet<unknown>("/api/tags/trending/"),
  ]);
  const seeds = new Seeds();
  if (latest.ok) seeds.firstPage(seedKeys.latestPosts(), latest.data);
  if (trending.ok) seeds.item(seedKeys.trendingTags(), trending.data);
  return (
    <ServerData state={seeds.state()}>
      <HomeView />
    </ServerData>
  );
}
