"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import type { ProductWrite } from "@/api/types";

export const productKey = (uuid: string) => ["product", uuid] as const;

export function useProducts() {
  return useInfiniteQuery({
    queryKey: ["products", "all"],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/products/", followLink(pageParam))),
    getNextPageParam: (last) => last.next ?? undefined,
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
