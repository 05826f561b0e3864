import type { Metadata } from "next";
import type { Product } from "@/api/types";
import { fetchApi, itemMetadata } from "@/lib/page-meta";

export async function generateMetadata({ params }: LayoutProps<"/products/[uuid]">): Promise<Metadata> {
  const { uuid } = await params;
  const product = await fetchApi<Product>(`/api/products/${encodeURIComponent(uuid)}/`);
  if (!product) return { title: "상품" };
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
