"use client";

import Link from "next/link";
import type { Product } from "@/api/types";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { formatPrice, useLocale } from "@/i18n";
import { useDwell } from "@/lib/dwell";

export function ProductCard({ product }: { product: Product }) {
  const locale = useLocale((s) => s.locale);
  const cover = product.images.find((i) => i.status === "ready");
  const dwell = useDwell("product", product.uuid);
  return (
    <Link
      ref={dwell}
      href={`/products/${product.uuid}`}
      className="group flex h-full flex-col overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm"
      data-testid="product-card"
    >
      <ResponsiveImage
        image={cover}
        alt={product.name}
        sizes="(min-width: 1024px) 300px, (min-width: 640px) 45vw, 90vw"
        className="aspect-square w-full"
      />
      <div className="flex flex-1 flex-col gap-1 p-3">
        <h3 className="line-clamp-2 text-sm font-semibold text-stone-900 group-hover:text-orange-600">
          {product.name}
        </h3>
        <p className="text-base font-bold text-stone-900">
          {formatPrice(product.price, product.currency, locale)}
        </p>
        <p className="mt-auto text-xs text-stone-500">@{product.owner.handle}</p>
      </div>
    </Link>
  );
}
