"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { fetchPage } from "@/api/pages";
import type { Preview, Product, ProductWrite } from "@/api/types";

export const productKey = (uuid: string) => ["product", uuid] as const;

export function useProducts() {
  return useInfiniteQuery({
    queryKey: ["products", "all"],
    initialPageParam: "/api/products/",
    queryFn: ({ pageParam }) => fetchPage<Product>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useUserProducts(handle: string) {
  return useInfiniteQuery({
    queryKey: ["products", "user", handle.toLowerCase()],
    initialPageParam: `/api/products/latest/${encodeURIComponent(handle)}/`,
    queryFn: ({ pageParam }) => fetchPage<Product>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useProduct(uuid: string) {
  return useQuery({
    queryKey: productKey(uuid),
    queryFn: async () => (await api.get<Product>(`/api/products/${uuid}/`)).data,
  });
}

export function useSaveProduct(uuid?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProductWrite) =>
      uuid
        ? (await api.put<Product>(`/api/products/${uuid}/`, body)).data
        : (await api.post<Product>("/api/products/", body)).data,
    onSuccess: (product) => {
      qc.setQueryData(productKey(product.uuid), product);
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
}

export function useDeleteProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (uuid: string) => api.delete(`/api/products/${uuid}/`),
    onSuccess: (_r, uuid) => {
      qc.removeQueries({ queryKey: productKey(uuid) });
      void qc.invalidateQueries({ queryKey: ["products"] });
    },
  });
}

/** "Paste a store link": what the store page says about the product. */
export function usePreview() {
  return useMutation({
    mutationFn: async (url: string) =>
      (await api.post<Preview>("/api/products/preview/", { url })).data,
  });
}
