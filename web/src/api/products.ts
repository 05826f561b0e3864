"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import type { Product, ProductWrite } from "@/api/types";

export const productKey = (uuid: string) => ["product", uuid] as const;

export type ProductStatus = components["schemas"]["ProductStatusEnum"];
export type ProductCategory = components["schemas"]["ProductCategoryEnum"];
export type ProductSort = "latest" | "price_asc" | "price_desc" | "popular";
export const PRODUCT_STATUSES: ProductStatus[] = ["on_sale", "reserved", "sold_out"];
// The codes of GET /api/products/categories/ (labels come from there), to drop unknown URL values.
export const PRODUCT_CATEGORIES: ProductCategory[] = [
  "food", "fashion", "beauty", "digital", "home", "furniture", "kids", "sports", "hobby", "books",
  "pets", "plants", "other",
];
export const PRODUCT_SORTS: ProductSort[] = ["latest", "price_asc", "price_desc", "popular"];

/** The list's filters, as they stand in the page's URL (`?category=food&sort=price_asc`). */
export interface ProductFilters {
  category?: ProductCategory;
  status?: ProductStatus;
  min_price?: number;
  max_price?: number;
  sort?: ProductSort;
}

export function useProducts(filters: ProductFilters = {}) {
  return useInfiniteQuery({
    queryKey: ["products", "all", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        pageParam
          ? api.GET("/api/products/", followLink(pageParam))
          : api.GET("/api/products/", { params: { query: filters } }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** The fixed category list with both languages' labels (it never changes while the app runs). */
export function useCategories() {
  return useQuery({
    queryKey: ["products", "categories"],
    queryFn: () => unwrap(api.GET("/api/products/categories/")),
    staleTime: Infinity,
  });
}

export function useSavedProducts(enabled = true) {
  return useInfiniteQuery({
    queryKey: ["products", "saved"],
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/products/saved/", followLink(pageParam))),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** 찜 on or off; answers the product with its new `saved` and `save_count`. */
export function useToggleSave() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uuid, save }: { uuid: string; save: boolean }) =>
      unwrap(
        save
          ? api.POST("/api/products/{uuid}/save/", { params: { path: { uuid } } })
          : api.DELETE("/api/products/{uuid}/save/", { params: { path: { uuid } } }),
      ),
    onSuccess: (product: Product) => {
      qc.setQueryData(productKey(product.uuid), product);
      void qc.invalidateQueries({ queryKey: ["products", "saved"] });
    },
  });
}

/** The owner's one-tap sale status change. */
export function useSetStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uuid, status }: { uuid: string; status: ProductStatus }) =>
      unwrap(
        api.PATCH("/api/products/{uuid}/", {
          params: { path: { uuid } },
          // The schema marks fields with a server default as required in PATCH too; a partial
          // update leaves them alone.
          body: { status } as components["schemas"]["PatchedProductInputRequest"],
        }),
      ),
    onSuccess: (product) => {
      qc.setQueryData(productKey(product.uuid), product);
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
}

/** Where the store button goes: our click-out redirect (counts the click, adds utm_source). */
export const clickOutHref = (uuid: string) => `/api/products/${uuid}/out/`;

export interface InsightRange {
  from?: string;
  to?: string;
}

export function useProductInsights(uuid: string | null, range: InsightRange) {
  return useQuery({
    queryKey: ["insights", "product", uuid, range],
    enabled: !!uuid,
    queryFn: () =>
      unwrap(
        api.GET("/api/products/{uuid}/insights/", {
          params: { path: { uuid: uuid ?? "" }, query: range },
        }),
      ),
  });
}

export function useSellerInsights(range: InsightRange, enabled = true) {
  return useQuery({
    queryKey: ["insights", "me", range],
    enabled,
    queryFn: () => unwrap(api.GET("/api/accounts/me/insights/", { params: { query: range } })),
  });
}

export function useUserProducts(handle: string) {
  return useInfiniteQuery({
    queryKey: ["products", "user", handle.toLowerCase()],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/products/latest/{handle}/", {
          params: { path: { handle } },
          ...followLink(pageParam),
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useProduct(uuid: string) {
  return useQuery({
    queryKey: productKey(uuid),
    queryFn: () => unwrap(api.GET("/api/products/{uuid}/", { params: { path: { uuid } } })),
  });
}

export function useSaveProduct(uuid?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ProductWrite) =>
      uuid
        ? unwrap(api.PUT("/api/products/{uuid}/", { params: { path: { uuid } }, body }))
        : unwrap(api.POST("/api/products/", { body })),
    onSuccess: (product) => {
      qc.setQueryData(productKey(product.uuid), product);
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
}

export function useDeleteProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (uuid: string) =>
      unwrap(api.DELETE("/api/products/{uuid}/", { params: { path: { uuid } } })),
    onSuccess: (_r, uuid) => {
      qc.removeQueries({ queryKey: productKey(uuid) });
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
}

/** "Paste a store link": what the store page says about the product. */
export function usePreview() {
  return useMutation({
    mutationFn: (url: string) => unwrap(api.POST("/api/products/preview/", { body: { url } })),
  });
}
