import type { Metadata } from "next";
import type { User } from "@/api/types";
import { fetchApi, itemMetadata } from "@/lib/page-meta";

export async function generateMetadata({ params }: LayoutProps<"/u/[handle]">): Promise<Metadata> {
  const { handle } = await params;
  const user = await fetchApi<User>(`/api/accounts/users/${encodeURIComponent(handle)}/`);
  if (!user) return { title: `@${handle}` };
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
