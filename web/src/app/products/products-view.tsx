"use client";

import Link from "next/link";
import { Suspense } from "react";
import { useProducts } from "@/api/products";
import { InfiniteList } from "@/components/common/infinite-list";
import { FilterBar, useFiltersFromUrl } from "@/components/products/filter-bar";
import { ProductCard } from "@/components/products/product-card";
import { buttonVariants } from "@/components/ui/button";
import { PageTitle, Spinner } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

function ProductList() {
  const t = useT();
  const filters = useFiltersFromUrl();
  const products = useProducts(filters);
  return (
    <>
      <FilterBar />
      <InfiniteList
        query={products}
        getKey={(p) => p.uuid}
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4"
        render={(p) => <ProductCard product={p} />}
        empty={t("product.empty")}
      />
    </>
  );
}

/** The product list with its filters; the unfiltered first page comes from the server (page.tsx). */
export function ProductsView() {
  const t = useT();
  const loggedIn = useAuth((s) => !!s.user);
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <PageTitle className="mb-0">{t("product.list")}</PageTitle>
        {loggedIn && (
          <div className="flex flex-wrap items-center gap-1">
            <Link href="/products/saved" data-testid="saved-link" className={buttonVariants({ variant: "ghost", size: "sm" })}>
              {t("product.savedTitle")}
            </Link>
            <Link href="/insights" data-testid="insights-link" className={buttonVariants({ variant: "ghost", size: "sm" })}>
              {t("product.insights")}
            </Link>
            <Link href="/products/new" className={buttonVariants({ size: "sm" })}>{t("product.newTitle")}</Link>
          </div>
        )}
      </div>
      <Suspense fallback={<Spinner label={t("common.loading")} />}>
        <ProductList />
      </Suspense>
    </div>
  );
}
