import type { Metadata } from "next";
import type { User } from "@/api/types";
import { itemMetadata } from "@/lib/page-meta";
import { apiGet } from "@/lib/server/api";

export async function generateMetadata({ params }: LayoutProps<"/u/[handle]">): Promise<Metadata> {
  const { handle } = await params;
  // The same read as the page's (lib/server/api.ts: one request for both).
  const found = await apiGet<User>(`/api/accounts/users/${encodeURIComponent(handle)}/`);
  if (!found.ok) return { title: `@${handle}` };
  const user = found.data;
  const name = user.display_name ? `${user.display_name} (@${user.handle})` : `@${user.handle}`;
  return itemMetadata({
    title: name,
    description: user.bio || name,
    images: user.profile_image ? [user.profile_image] : [],
    path: `/u/${user.handle}`,
    type: "profile",
  });
}

export default function ProfileLayout({ children }: LayoutProps<"/u/[handle]">) {
  return children;
}
