"use client";

import { ProductForm } from "@/components/products/product-form";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function NewProductPage() {
  const user = useRequireAuth();
  return user ? <ProductForm /> : null;
}
