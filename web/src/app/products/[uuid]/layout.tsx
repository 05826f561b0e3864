import type { Metadata } from "next";
import type { Product } from "@/api/types";
import { itemMetadata } from "@/lib/page-meta";
import { apiGet } from "@/lib/server/api";

export async function generateMetadata({ params }: LayoutProps<"/products/[uuid]">): Promise<Metadata> {
  const { uuid } = await params;
  // The same read as the page's (lib/server/api.ts: one request for both).
  const found = await apiGet<Product>(`/api/products/${encodeURIComponent(uuid)}/`);
  if (!found.ok) return { title: "상품" };
  const product = found.data;
  return itemMetadata({
    title: product.name,
    description: product.description || product.name,
    images: product.images,
    path: `/products/${product.uuid}`,
    type: "website",
  });
}

export default function ProductLayout({ children }: LayoutProps<"/products/[uuid]">) {
  return children;
}
