"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { toApiError } from "@/api/errors";
import {
  PRODUCT_STATUSES,
  clickOutHref,
  useCategories,
  useDeleteProduct,
  useProduct,
  useSetStatus,
} from "@/api/products";
import type { Product } from "@/api/types";
import { ChatWithSellerButton } from "@/components/chat/chat-with-seller-button";
import { AuthorLine } from "@/components/posts/post-card";
import { SaveButton } from "@/components/products/save-button";
import { StatusBadge } from "@/components/products/status-badge";
import { StoreCheckBadge, StoreCheckFix } from "@/components/products/store-check";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { formatPrice, useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { ReportButton } from "@/components/reports/report-button";
import { RecommendedProducts } from "@/components/search/recommended";
import { useDwell } from "@/lib/dwell";
import { useAuth } from "@/stores/auth";

/** The owner's one-tap sale status: 판매중 / 예약중 / 판매완료. */
function StatusSwitch({ product }: { product: Product }) {
  const t = useT();
  const setStatus = useSetStatus();
  return (
    <div role="radiogroup" aria-label={t("product.statusLabel")} data-testid="status-switch"
      className="grid grid-cols-3 gap-1 rounded-xl bg-stone-100 p-1">
      {PRODUCT_STATUSES.map((s) => (
        <button key={s} type="button" role="radio" aria-checked={product.status === s}
          data-testid={`status-${s}`} disabled={setStatus.isPending}
          onClick={() => product.status !== s && setStatus.mutate({ uuid: product.uuid, status: s })}
          className={cn(
            "min-w-0 whitespace-nowrap rounded-lg px-2 py-1.5 text-sm font-medium transition-colors",
            product.status === s ? "bg-white text-stone-900 shadow-sm" : "text-stone-500 hover:text-stone-800",
          )}>
          {t(`product.status.${s}`)}
        </button>
      ))}
    </div>
  );
}

function CategoryLabel({ code }: { code: string }) {
  const locale = useLocale((s) => s.locale);
  const categories = useCategories();
  const found = categories.data?.find((c) => c.code === code);
  if (!found) return null;
  return (
    <Link href={`/products?category=${code}`} data-testid="product-category"
      className="text-xs font-medium text-stone-500 hover:text-orange-600">
      {locale === "ko" ? found.label_ko : found.label_en}
    </Link>
  );
}

/** The product page; its first data comes from the server page (page.tsx). */
export function ProductView() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const router = useRouter();
  const { uuid } = useParams<{ uuid: string }>();
  const me = useAuth((s) => s.user);
  const query = useProduct(uuid);
  const dwell = useDwell("product", uuid);
  const remove = useDeleteProduct();
  const [shown, setShown] = useState(0);

  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) {
    const err = toApiError(query.error);
    return <FormMessage kind="error">{err.status === 404 ? t("common.notFound") : t("common.error")}</FormMessage>;
  }
  const product = query.data;
  const images = product.images.filter((i) => i.status === "ready");
  const mine = me?.handle === product.owner.handle;
  const price = formatPrice(product.price, product.currency, locale);

  return (
    <div ref={dwell}>
      <div className="mx-auto grid max-w-4xl gap-6 md:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-2">
          <ResponsiveImage image={images[shown] ?? images[0]} alt={product.name}
            sizes="(min-width: 768px) 448px, 100vw"
            className={cn("aspect-square w-full rounded-2xl", product.status === "sold_out" && "opacity-60")} />
          {images.length > 1 && (
            <div className="flex flex-wrap gap-2">
              {images.map((img, i) => (
                <button key={img.uuid} type="button" onClick={() => setShown(i)}
                  className={cn("h-16 w-16 overflow-hidden rounded-lg border-2", i === shown ? "border-orange-500" : "border-transparent")}>
                  <ResponsiveImage image={img} alt="" sizes="64px" className="h-full w-full" />
                </button>
              ))}
            </div>
          )}
        </div>
        <Card className="flex min-w-0 flex-col gap-4">
          <AuthorLine author={product.owner} date={product.created_at} />
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={product.status} />
            <CategoryLabel code={product.category} />
            <StoreCheckBadge product={product} />
          </div>
          <h1 className="break-words text-2xl font-bold text-stone-900" data-testid="product-name">{product.name}</h1>
          <div className="flex items-center justify-between gap-2">
            <p className="min-w-0 truncate text-2xl font-extrabold text-orange-600" data-testid="product-price">{price}</p>
            <SaveButton product={product} />
          </div>
          <p className="whitespace-pre-line break-words text-stone-700">{product.description}</p>
          {mine && <StatusSwitch product={product} />}
          {mine && <StoreCheckFix product={product} />}
          {/* Phones get these in the sticky bar below. */}
          <div className="hidden flex-col gap-2 md:flex">
            <a href={clickOutHref(product.uuid)} target="_blank" rel="noopener noreferrer"
              className={buttonVariants({ size: "lg", block: true, variant: mine ? "primary" : "secondary" })}
              data-testid="product-link">
              {t("product.buy")} ↗
            </a>
            <ChatWithSellerButton productUuid={product.uuid} isOwner={mine} size="lg" block />
          </div>
          {!mine && <ReportButton targetType="product" target={product.uuid} className="self-end" />}
          {mine && (
            <div className="flex flex-wrap justify-end gap-1">
              <Link href={`/insights?product=${product.uuid}`} data-testid="product-insights-link"
                className={buttonVariants({ variant: "ghost", size: "sm" })}>
                {t("product.insights")}
              </Link>
              <Link href={`/products/${product.uuid}/edit`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                {t("common.edit")}
              </Link>
              <Button variant="ghost" size="sm" className="text-red-600"
                onClick={() => window.confirm(t("common.confirmDelete")) &&
                  remove.mutate(product.uuid, { onSuccess: () => router.replace("/products") })}>
                {t("common.delete")}
              </Button>
            </div>
          )}
        </Card>
        <RecommendedProducts exclude={product.uuid} />
      </div>
      {/* Phones: price, 찜, the store and the chat button stay in reach above the tab bar. */}
      <div data-testid="product-bottom-bar"
        className="sticky bottom-14 z-10 -mx-4 mt-4 flex items-center gap-2 border-t border-stone-200 bg-white/95 px-4 py-2 backdrop-blur md:hidden">
        <SaveButton product={product} showCount={false} className="-ml-2" />
        <p className="min-w-0 flex-1 truncate text-lg font-extrabold text-stone-900" data-testid="bottom-bar-price">{price}</p>
        <a href={clickOutHref(product.uuid)} target="_blank" rel="noopener noreferrer"
          className={buttonVariants({ size: "md", variant: mine ? "primary" : "secondary" })}
          data-testid="bottom-bar-store">
          {t("product.buy")}
        </a>
        <ChatWithSellerButton productUuid={product.uuid} isOwner={mine} size="md" />
      </div>
    </div>
  );
}
