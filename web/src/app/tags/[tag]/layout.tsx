import type { Metadata } from "next";

export async function generateMetadata({ params }: LayoutProps<"/tags/[tag]">): Promise<Metadata> {
  const { tag } = await params;
  let name = tag;
  try {
    name = decodeURIComponent(tag);
  } catch {
    // a stray % stays as typed
  }
  return { title: `#${name}` };
}

export default function TagLayout({ children }: LayoutProps<"/tags/[tag]">) {
  return children;
}
