/**
 * Per-page titles and link previews (Open Graph, Twitter cards) for shared links: the server
 * layouts of posts, products and profiles fetch the item from Django (API_ORIGIN, the same
 * origin the rewrites use) with a short deadline; on any failure the page keeps the site title.
 * Server-only: imported by layout.tsx files, never by client components.
 */
import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ImageRef } from "@/api/types";

const API = (process.env.API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
export const SITE = "감귤마켓";

export async function fetchApi<T>(path: string): Promise<T | null> {
  try {
    const res = await fetch(`${API}${path}`, {
      cache: "no-store",
      signal: AbortSignal.timeout(1500),
      headers: { Accept: "application/json", "Accept-Language": "ko" },
    });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/** The page's own origin (links in previews must be absolute). */
async function origin(): Promise<URL | undefined> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host");
  if (!host) return undefined;
  const proto = h.get("x-forwarded-proto") ?? "http";
  try {
    return new URL(`${proto}://${host}`);
  } catch {
    return undefined;
  }
}

function imagePath(images: ImageRef[] | undefined): string | undefined {
  const ready = images?.find((i) => i.status === "ready");
  const variants = [...(ready?.variants ?? [])].filter((v) => v.format !== "webp");
  const best = variants.sort((a, b) => b.width - a.width)[0];
  if (!best) return undefined;
  try {
    const u = new URL(best.url, "http://x");
    return `${u.pathname}${u.search}`;
  } catch {
    return undefined;
  }
}

export async function itemMetadata(item: {
  title: string;
  description: string;
  images?: ImageRef[];
  path: string;
  type: "article" | "profile" | "website";
}): Promise<Metadata> {
  const description = item.description.replace(/\s+/g, " ").trim().slice(0, 160);
  const image = imagePath(item.images);
  return {
    metadataBase: await origin(),
    title: item.title,
    description,
    alternates: { canonical: item.path },
    openGraph: {
      title: item.title,
      description,
      url: item.path,
      siteName: SITE,
      type: item.type,
      locale: "ko_KR",
      ...(image ? { images: [{ url: image }] } : {}),
    },
    twitter: {
      card: image ? "summary_large_image" : "summary",
      title: item.title,
      description,
      ...(image ? { images: [image] } : {}),
    },
  };
}
