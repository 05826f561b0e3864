"use client";

import Link from "next/link";
import type { Product } from "@/api/types";
import { SaveButton } from "@/components/products/save-button";
import { StatusBadge } from "@/components/products/status-badge";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { formatPrice, useLocale } from "@/i18n";
import { cn } from "@/lib/cn";
import { useDwell } from "@/lib/dwell";

export function ProductCard({ product }: { product: Product }) {
  const locale = useLocale((s) => s.locale);
  const cover = product.images.find((i) => i.status === "ready");
  const dwell = useDwell("product", product.uuid);
  return (
    <Link
      ref={dwell}
      href={`/products/${product.uuid}`}
      className="group flex h-full min-w-0 flex-col overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm"
      data-testid="product-card"
    >
      <div className="relative">
        <ResponsiveImage
          image={cover}
          alt={product.name}
          sizes="(min-width: 1024px) 300px, (min-width: 640px) 45vw, 90vw"
          className={cn("aspect-square w-full", product.status === "sold_out" && "opacity-60")}
        />
        {product.status !== "on_sale" && (
          <StatusBadge status={product.status} className="absolute left-2 top-2" />
        )}
      </div>
      <div className="flex flex-1 flex-col gap-1 p-3">
        <h3 className="line-clamp-2 break-words text-sm font-semibold text-stone-900 group-hover:text-orange-600">
          {product.name}
        </h3>
        <p className="truncate text-base font-bold text-stone-900">
          {formatPrice(product.price, product.currency, locale)}
        </p>
        <div className="mt-auto flex min-w-0 items-center justify-between gap-1">
          <p className="min-w-0 truncate text-xs text-stone-500">@{product.owner.handle}</p>
          <SaveButton product={product} className="-mr-2 text-xs" />
        </div>
      </div>
    </Link>
  );
}
