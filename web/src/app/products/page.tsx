import type { CursorPage, Product } from "@/api/types";
import { ServerData } from "@/components/common/server-data";
import { apiGet } from "@/lib/server/api";
import { Seeds, seedKeys } from "@/lib/server/seeds";
import { ProductsView } from "./products-view";

/**
 * The newest products, read on the server for the plain list (`/products`): a cold load has the
 * cards in the HTML. A filtered list (`?category=…`) is read by the browser, as before (its
 * filters are parsed by the client's FilterBar).
 */
export default async function ProductsPage({ searchParams }: PageProps<"/products">) {
  const filtered = Object.keys(await searchParams).length > 0;
  const seeds = new Seeds();
  if (!filtered) {
    const [products, categories] = await Promise.all([
      apiGet<CursorPage<Product>>("/api/products/"),
      apiGet<unknown>("/api/products/categories/"),
    ]);
    if (products.ok) seeds.firstPage(seedKeys.products(), products.data);
    if (categories.ok) seeds.item(seedKeys.categories(), categories.data);
  }
  return (
    <ServerData state={seeds.state()}>
      <ProductsView />
    </ServerData>
  );
}
