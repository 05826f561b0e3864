"use client";

import Link from "next/link";
import type { Room } from "@/api/types";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { formatPrice, useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";

type ProductCard = NonNullable<Room["product"]>;

const STATUS_STYLE: Record<string, string> = {
  on_sale: "bg-orange-100 text-orange-700",
  reserved: "bg-emerald-100 text-emerald-700",
  sold_out: "bg-stone-200 text-stone-600",
};

export function ProductStatusBadge({ status }: { status: string }) {
  const t = useT();
  const known = status === "reserved" || status === "sold_out" ? status : "on_sale";
  return (
    <span
      data-testid="chat-product-status"
      className={cn("shrink-0 rounded px-1.5 py-0.5 text-[11px] font-semibold", STATUS_STYLE[known])}
    >
      {t(`chat.productStatus.${known}`)}
    </span>
  );
}

/** The product a room is about, at the top of the room: photo, name, price and sale status. */
export function ChatProductCard({ product }: { product: ProductCard }) {
  const locale = useLocale((s) => s.locale);
  return (
    <Link
      href={`/products/${product.uuid}`}
      data-testid="chat-product-card"
      className="flex min-w-0 items-center gap-3 border-b border-stone-200 bg-stone-50 px-3 py-2 hover:bg-orange-50"
    >
      <span className="h-11 w-11 shrink-0 overflow-hidden rounded-lg bg-stone-200">
        {product.image && <ResponsiveImage image={product.image} alt={product.name} sizes="44px" className="h-full w-full" />}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex min-w-0 items-center gap-1.5">
          <ProductStatusBadge status={product.status} />
          <span className="truncate text-sm font-medium text-stone-900">{product.name}</span>
        </span>
        <span className="block text-sm font-bold text-stone-800">
          {formatPrice(product.price, product.currency, locale)}
        </span>
      </span>
    </Link>
  );
}
