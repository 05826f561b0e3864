"use client";

import Link from "next/link";
import { useProducts } from "@/api/products";
import { InfiniteList } from "@/components/common/infinite-list";
import { ProductCard } from "@/components/products/product-card";
import { buttonVariants } from "@/components/ui/button";
import { PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

export default function ProductsPage() {
  const t = useT();
  const loggedIn = useAuth((s) => !!s.user);
  const products = useProducts();
  return (
    <div>
      <div className="mb-4 flex items-center justify-between">
        <PageTitle className="mb-0">{t("product.list")}</PageTitle>
        {loggedIn && (
          <Link href="/products/new" className={buttonVariants({ size: "sm" })}>{t("product.newTitle")}</Link>
        )}
      </div>
      <InfiniteList
        query={products}
        getKey={(p) => p.uuid}
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4"
        render={(p) => <ProductCard product={p} />}
        empty={t("product.empty")}
      />
    </div>
  );
}
