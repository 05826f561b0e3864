import type { Metadata } from "next";

export async function generateMetadata({ params }: LayoutProps<"/tags/[tag]">): Promise<Metadata> {
  const { tag } = await params;
  return { title: `#${decodeURIComponent(tag)}` };
}

export default function TagLayout({ children }: LayoutProps<"/tags/[tag]">) {
  return children;
}
