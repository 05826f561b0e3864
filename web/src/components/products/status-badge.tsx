"use client";

import type { ProductStatus } from "@/api/products";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";

const STYLES: Record<ProductStatus, string> = {
  on_sale: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  reserved: "bg-amber-50 text-amber-800 ring-amber-200",
  sold_out: "bg-stone-100 text-stone-600 ring-stone-300",
};

/** 판매중 / 예약중 / 판매완료 as a small pill. */
export function StatusBadge({ status, className }: { status: ProductStatus; className?: string }) {
  const t = useT();
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={cn(
        "inline-flex shrink-0 items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset",
        STYLES[status],
        className,
      )}
    >
      {t(`product.status.${status}`)}
    </span>
  );
}
