"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import {
  PRODUCT_CATEGORIES,
  PRODUCT_SORTS,
  PRODUCT_STATUSES,
  useCategories,
  type ProductCategory,
  type ProductFilters,
  type ProductSort,
  type ProductStatus,
} from "@/api/products";
import { Button } from "@/components/ui/button";
import { useLocale, useT } from "@/i18n";

const nonNegative = (value: string | null): number | undefined => {
  if (value === null || value.trim() === "" || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
};

/** The list's filters read from the URL; unknown values are dropped (the API would 400). */
export function useFiltersFromUrl(): ProductFilters {
  const params = useSearchParams();
  const category = params.get("category") || undefined;
  const status = params.get("status") as ProductStatus | null;
  const sort = params.get("sort") as ProductSort | null;
  const min = nonNegative(params.get("min_price"));
  const max = nonNegative(params.get("max_price"));
  const filters: ProductFilters = {};
  if (category && (PRODUCT_CATEGORIES as string[]).includes(category)) {
    filters.category = category as ProductCategory;
  }
  if (status && PRODUCT_STATUSES.includes(status)) filters.status = status;
  if (sort && PRODUCT_SORTS.includes(sort) && sort !== "latest") filters.sort = sort;
  if (min !== undefined) filters.min_price = min;
  if (max !== undefined && (min === undefined || max >= min)) filters.max_price = max;
  return filters;
}

const selectClass =
  "h-9 min-w-0 rounded-lg border border-stone-300 bg-white px-2 text-sm text-stone-800 focus-visible:outline-2 focus-visible:outline-orange-500";

/**
 * Category, status, price range and sort of the product list. Its state is the page's URL
 * (`/products?category=food&sort=price_asc`), so a filtered list can be shared, reloaded and
 * navigated back to. Selects apply at once; the price range applies on submit.
 */
export function FilterBar() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const router = useRouter();
  const pathname = usePathname();
  const filters = useFiltersFromUrl();
  const categories = useCategories();
  // Typed prices, kept until the URL's range changes (then the inputs show the URL's values).
  const urlRange = `${filters.min_price ?? ""}~${filters.max_price ?? ""}`;
  const [typed, setTyped] = useState<{ urlRange: string; min: string; max: string } | null>(null);
  const current = typed && typed.urlRange === urlRange ? typed : null;
  const min = current ? current.min : (filters.min_price?.toString() ?? "");
  const max = current ? current.max : (filters.max_price?.toString() ?? "");
  const setMin = (value: string) => setTyped({ urlRange, min: value, max });
  const setMax = (value: string) => setTyped({ urlRange, min, max: value });
  const [rangeError, setRangeError] = useState(false);

  const apply = (next: ProductFilters) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) {
      if (value !== undefined && value !== "" && !(key === "sort" && value === "latest")) {
        query.set(key, String(value));
      }
    }
    const qs = query.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  const onPrice = (e: FormEvent) => {
    e.preventDefault();
    const low = nonNegative(min);
    const high = nonNegative(max);
    if (low !== undefined && high !== undefined && low > high) {
      setRangeError(true);
      return;
    }
    setRangeError(false);
    apply({ ...filters, min_price: low, max_price: high });
  };

  const active = Object.keys(filters).length > 0;
  return (
    <form onSubmit={onPrice} data-testid="filter-bar"
      className="mb-4 flex flex-wrap items-end gap-2 rounded-2xl border border-stone-200 bg-white p-3">
      <label className="flex min-w-0 flex-col gap-1 text-xs text-stone-500">
        {t("product.category")}
        <select className={selectClass} data-testid="filter-category" value={filters.category ?? ""}
          onChange={(e) => apply({ ...filters, category: (e.target.value || undefined) as ProductCategory | undefined })}>
          <option value="">{t("product.allCategories")}</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.code} value={c.code}>{locale === "ko" ? c.label_ko : c.label_en}</option>
          ))}
        </select>
      </label>
      <label className="flex min-w-0 flex-col gap-1 text-xs text-stone-500">
        {t("product.statusLabel")}
        <select className={selectClass} data-testid="filter-status" value={filters.status ?? ""}
          onChange={(e) => apply({ ...filters, status: (e.target.value || undefined) as ProductStatus | undefined })}>
          <option value="">{t("product.allStatuses")}</option>
          {PRODUCT_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`product.status.${s}`)}</option>
          ))}
        </select>
      </label>
      <label className="flex min-w-0 flex-col gap-1 text-xs text-stone-500">
        {t("product.sortLabel")}
        <select className={selectClass} data-testid="filter-sort" value={filters.sort ?? "latest"}
          onChange={(e) => apply({ ...filters, sort: e.target.value as ProductSort })}>
          {PRODUCT_SORTS.map((s) => (
            <option key={s} value={s}>{t(`product.sort.${s}`)}</option>
          ))}
        </select>
      </label>
      <div className="flex min-w-0 items-end gap-1">
        <label className="flex min-w-0 flex-col gap-1 text-xs text-stone-500">
          {t("product.minPrice")}
          <input className={`${selectClass} w-24`} inputMode="numeric" pattern="[0-9]*" data-testid="filter-min"
            value={min} onChange={(e) => setMin(e.target.value)} aria-invalid={rangeError} />
        </label>
        <span className="pb-2 text-stone-400">~</span>
        <label className="flex min-w-0 flex-col gap-1 text-xs text-stone-500">
          {t("product.maxPrice")}
          <input className={`${selectClass} w-24`} inputMode="numeric" pattern="[0-9]*" data-testid="filter-max"
            value={max} onChange={(e) => setMax(e.target.value)} aria-invalid={rangeError} />
        </label>
        <Button type="submit" variant="secondary" size="sm" className="mb-0.5" data-testid="filter-apply">
          {t("product.applyPrice")}
        </Button>
      </div>
      {active && (
        <Button variant="ghost" size="sm" className="mb-0.5" data-testid="filter-reset"
          onClick={() => { setRangeError(false); apply({}); }}>
          {t("product.resetFilters")}
        </Button>
      )}
      {rangeError && (
        <p role="alert" className="w-full text-xs text-red-600" data-testid="filter-error">{t("product.priceRangeBad")}</p>
      )}
    </form>
  );
}
