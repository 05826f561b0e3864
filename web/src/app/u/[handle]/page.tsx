import { notFound } from "next/navigation";
import type { CursorPage, Post, User } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { decodeSegment } from "@/lib/server-rendered";
import { apiGet, memberHint } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { ProfileView } from "./profile-view";

/**
 * The profile and its first page of posts, read on the server: a cold load has the name, bio and
 * posts in the HTML. An unknown handle is the 404 page (unless the browser holds a session: a
 * blocked or hidden profile is the API's answer to that session); other API trouble renders the
 * client page, which fetches for itself.
 */
export default async function ProfilePage({ params }: PageProps<"/u/[handle]">) {
  const handle = decodeSegment((await params).handle);
  const id = encodeURIComponent(handle);
  const [user, posts] = await Promise.all([
    apiGet<User>(`/api/accounts/users/${id}/`),
    apiGet<CursorPage<Post>>(`/api/posts/latest/${id}/`),
  ]);
  if (!user.ok && user.status === 404 && !(await memberHint())) notFound();
  const seeds = new Seeds();
  if (user.ok) {
    seeds.item(seedKeys.user(handle), user.data);
    if (posts.ok) seeds.firstPage(seedKeys.userPosts(handle), posts.data);
  }
  return (
    <ServerData state={seeds.state()}>
      <ProfileView />
    </ServerData>
  );
}
