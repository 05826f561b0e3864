"use client";

import { useParams } from "next/navigation";
import { useProduct } from "@/api/products";
import { ProductForm } from "@/components/products/product-form";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function EditProductPage() {
  const t = useT();
  const user = useRequireAuth();
  const { uuid } = useParams<{ uuid: string }>();
  const product = useProduct(uuid);
  if (!user) return null;
  if (product.isPending) return <Spinner label={t("common.loading")} />;
  if (product.isError || product.data.owner.handle !== user.handle) {
    return <FormMessage kind="error">{t("common.notFound")}</FormMessage>;
  }
  return <ProductForm product={product.data} />;
}
