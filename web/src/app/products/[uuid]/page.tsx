"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { toApiError } from "@/api/errors";
import { useDeleteProduct, useProduct } from "@/api/products";
import { AuthorLine } from "@/components/posts/post-card";
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

export default function ProductPage() {
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

  return (
    <div ref={dwell} className="mx-auto grid max-w-4xl gap-6 md:grid-cols-2">
      <div className="flex flex-col gap-2">
        <ResponsiveImage image={images[shown] ?? images[0]} alt={product.name}
          sizes="(min-width: 768px) 448px, 100vw" className="aspect-square w-full rounded-2xl" />
        {images.length > 1 && (
          <div className="flex gap-2">
            {images.map((img, i) => (
              <button key={img.uuid} type="button" onClick={() => setShown(i)}
                className={cn("h-16 w-16 overflow-hidden rounded-lg border-2", i === shown ? "border-orange-500" : "border-transparent")}>
                <ResponsiveImage image={img} alt="" sizes="64px" className="h-full w-full" />
              </button>
            ))}
          </div>
        )}
      </div>
      <Card className="flex flex-col gap-4">
        <AuthorLine author={product.owner} date={product.created_at} />
        <h1 className="text-2xl font-bold text-stone-900" data-testid="product-name">{product.name}</h1>
        <p className="text-2xl font-extrabold text-orange-600" data-testid="product-price">
          {formatPrice(product.price, product.currency, locale)}
        </p>
        <p className="whitespace-pre-line text-stone-700">{product.description}</p>
        <a href={product.link} target="_blank" rel="noopener noreferrer"
          className={buttonVariants({ size: "lg", block: true })} data-testid="product-link">
          {t("product.buy")} ↗
        </a>
        {!mine && <ReportButton targetType="product" target={product.uuid} className="self-end" />}
        {mine && (
          <div className="flex justify-end gap-1">
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
  );
}
