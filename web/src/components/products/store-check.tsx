"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { errorText, toApiError } from "@/api/errors";
import { productKey } from "@/api/products";
import type { components } from "@/api/schema";
import { Button, buttonVariants } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { formatPrice, useLocale, useT, type MessageKey } from "@/i18n";

type Product = components["schemas"]["Product"];
type Issue = Product["store_check"]["issues"][number];

const BADGE: Record<Issue, MessageKey> = {
  price: "storeCheck.badge.price",
  stock: "storeCheck.badge.stock",
  link: "storeCheck.badge.link",
};

/** The quiet badge buyers see while the seller's store says something else than the listing. */
export function StoreCheckBadge({ product }: { product: Product }) {
  const t = useT();
  const issue = product.store_check.issues[0];
  if (!issue) return null;
  return (
    <span data-testid="store-check-badge"
      className="inline-flex w-fit items-center rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">
      {t(BADGE[issue])}
    </span>
  );
}

/** The seller's one-tap fixes for what the latest store-link check found. */
export function StoreCheckFix({ product }: { product: Product }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const qc = useQueryClient();
  const fix = useMutation({
    mutationFn: (body: { price?: number; status?: Product["status"] }) =>
      unwrap(api.PATCH("/api/products/{uuid}/", {
        params: { path: { uuid: product.uuid } },
        // A PATCH sends only what changes; the generated type lists fields that have server
        // defaults (description, currency) as present, which a partial update does not need.
        body: body as components["schemas"]["PatchedProductInputRequest"],
      })),
    onSuccess: (updated) => {
      qc.setQueryData(productKey(updated.uuid), updated);
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
  const check = product.store_check;
  if (check.issues.length === 0) return null;
  const storePrice = check.store_price;
  return (
    <section data-testid="store-check-fix" aria-labelledby="store-check-title"
      className="flex flex-col gap-2 rounded-xl bg-amber-50 p-3 ring-1 ring-amber-200">
      <h2 id="store-check-title" className="text-sm font-semibold text-amber-900">{t("storeCheck.title")}</h2>
      {check.issues.includes("price") && storePrice != null && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-amber-900">
            {t("storeCheck.price", { price: formatPrice(storePrice, check.store_currency, locale) })}
          </p>
          <Button size="sm" disabled={fix.isPending} data-testid="store-check-fix-price"
            onClick={() => fix.mutate({ price: storePrice })}>
            {t("storeCheck.fixPrice", { price: formatPrice(storePrice, check.store_currency, locale) })}
          </Button>
        </div>
      )}
      {check.issues.includes("stock") && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-amber-900">{t("storeCheck.stock")}</p>
          <Button size="sm" disabled={fix.isPending} data-testid="store-check-fix-stock"
            onClick={() => fix.mutate({ status: "sold_out" })}>
            {t("storeCheck.fixStock")}
          </Button>
        </div>
      )}
      {check.issues.includes("link") && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-amber-900">{t("storeCheck.link")}</p>
          <Link href={`/products/${product.uuid}/edit`} className={buttonVariants({ size: "sm" })}>
            {t("storeCheck.fixLink")}
          </Link>
        </div>
      )}
      {fix.isError && <FormMessage kind="error">{errorText(toApiError(fix.error))}</FormMessage>}
    </section>
  );
}
