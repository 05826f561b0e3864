import { notFound } from "next/navigation";
import type { Product } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { apiGet, memberHint } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { ProductView } from "./product-view";

/**
 * The product (and the category labels it shows), read on the server: a cold load has its name,
 * price, photo and description in the HTML. 404 as on the post page; other API trouble renders
 * the client page, which fetches for itself.
 */
export default async function ProductPage({ params }: PageProps<"/products/[uuid]">) {
  const { uuid } = await params;
  const [product, categories] = await Promise.all([
    apiGet<Product>(`/api/products/${encodeURIComponent(uuid)}/`),
    apiGet<unknown>("/api/products/categories/"),
  ]);
  if (!product.ok && product.status === 404 && !(await memberHint())) notFound();
  const seeds = new Seeds();
  if (product.ok) seeds.item(seedKeys.product(uuid), product.data);
  if (categories.ok) seeds.item(seedKeys.categories(), categories.data);
  return (
    <ServerData state={seeds.state()}>
      <ProductView />
    </ServerData>
  );
}
