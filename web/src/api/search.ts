"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, sameOrigin } from "@/api/client";
import type { NumberPage, Product, RecommendPage, SearchResponse } from "@/api/types";

export type SearchKind = "post" | "product" | "user";

/** All kinds at once, a few of each (the "all" tab). */
export function useSearchAll(q: string) {
  return useQuery({
    queryKey: ["search", "all", q],
    enabled: q.length > 0,
    queryFn: async () =>
      (await api.get<SearchResponse>("/api/search/", { params: { q, page_size: 5 } })).data,
    retry: false,
  });
}

/** One kind, page after page: each section's `next` link pages only that kind. */
export function useSearchKind(q: string, kind: SearchKind) {
  return useInfiniteQuery({
    queryKey: ["search", kind, q],
    enabled: q.length > 0,
    initialPageParam: `/api/search/?${new URLSearchParams({ q, type: kind, page_size: "20" })}`,
    queryFn: async ({ pageParam }) => {
      const { data } = await api.get<SearchResponse>(sameOrigin(pageParam));
      return data;
    },
    getNextPageParam: (last) => {
      const next = last[kind]?.next;
      return next ? sameOrigin(next) : undefined;
    },
    retry: false,
  });
}

export function useRecommendedPosts(enabled: boolean) {
  return useQuery({
    // Not under ["posts"]: post caches there are patched as cursor pages (likes).
    queryKey: ["recommend", "posts"],
    enabled,
    queryFn: async () => (await api.get<RecommendPage>("/api/posts/recommend/?page_size=5")).data,
    staleTime: 60_000,
  });
}

/** Products like this one (dense neighbours, keyword fallback, the owner's other items). */
export function useSimilarProducts(uuid: string) {
  return useQuery({
    queryKey: ["similar", "products", uuid],
    // A SimilarProduct is a full Product plus `score` and `match`.
    queryFn: async () =>
      (await api.get<NumberPage<Product>>(`/api/products/${uuid}/similar/?page_size=6`)).data,
    staleTime: 60_000,
    retry: false,
  });
}
