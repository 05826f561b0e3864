"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";

export type SearchKind = "post" | "product" | "user";

/** All kinds at once (the "all" tab): the first ten of their merged ranking (`top`). */
export function useSearchAll(q: string) {
  return useQuery({
    queryKey: ["search", "all", q],
    enabled: q.length > 0,
    queryFn: () => unwrap(api.GET("/api/search/", { params: { query: { q, page_size: 10 } } })),
    retry: false,
  });
}

/** One kind, page after page: each section's `next` link pages only that kind. */
export function useSearchKind(q: string, kind: SearchKind) {
  return useInfiniteQuery({
    queryKey: ["search", kind, q],
    enabled: q.length > 0,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/search/", {
          params: { query: { q, type: kind, page_size: 20 } },
          ...followLink(pageParam),
        }),
      ),
    getNextPageParam: (last) => last[kind]?.next ?? undefined,
    retry: false,
  });
}

export function useRecommendedPosts(enabled: boolean) {
  return useQuery({
    // Not under ["posts"]: post caches there are patched as cursor pages (likes).
    queryKey: ["recommend", "posts"],
    enabled,
    queryFn: () =>
      unwrap(api.GET("/api/posts/recommend/", { params: { query: { page_size: 5 } } })),
    staleTime: 60_000,
  });
}

/** Products like this one (dense neighbours, keyword fallback, the owner's other items). */
export function useSimilarProducts(uuid: string) {
  return useQuery({
    queryKey: ["similar", "products", uuid],
    // SimilarProductPage: full Products plus `score` and `match`.
    queryFn: () =>
      unwrap(
        api.GET("/api/products/{uuid}/similar/", {
          params: { path: { uuid }, query: { page_size: 6 } },
        }),
      ),
    staleTime: 60_000,
    retry: false,
  });
}
