"use client";

import { useSavedProducts } from "@/api/products";
import { InfiniteList } from "@/components/common/infinite-list";
import { ProductCard } from "@/components/products/product-card";
import { PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function SavedProductsPage() {
  const t = useT();
  const user = useRequireAuth();
  const saved = useSavedProducts(!!user);
  if (!user) return null;
  return (
    <div>
      <PageTitle>{t("product.savedTitle")}</PageTitle>
      <InfiniteList
        query={saved}
        getKey={(p) => p.uuid}
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4"
        render={(p) => <ProductCard product={p} />}
        empty={t("product.savedEmpty")}
      />
    </div>
  );
}
