"use client";

import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import type { CursorPage, User } from "@/api/types";
import { userKey } from "@/api/accounts";

type FollowPages = InfiniteData<CursorPage<User>>;

/**
 * Follow or unfollow, with the profile's counts and flag updated at once (rolled back on error).
 * `keepRows`: follow lists keep the person's row and only flip its button (so an unfollow from
 * my following list can be undone from the same row), instead of reloading without them.
 */
export function useFollow(handle: string, { keepRows = false }: { keepRows?: boolean } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (follow: boolean) => {
      if (follow) await unwrap(api.POST("/api/follows/", { body: { handle } }));
      else await unwrap(api.DELETE("/api/follows/{handle}/unfollow/", { params: { path: { handle } } }));
    },
    onMutate: async (follow) => {
      const key = userKey(handle);
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<User>(key);
      if (keepRows) {
        qc.setQueriesData<FollowPages>({ queryKey: ["follows"] }, (data) =>
          data
            ? {
                ...data,
                pages: data.pages.map((page) => ({
                  ...page,
                  results: page.results.map((u) =>
                    u.handle === handle ? { ...u, is_following: follow } : u,
                  ),
                })),
              }
            : data,
        );
      }
      if (before) {
        qc.setQueryData<User>(key, {
          ...before,
          is_following: follow,
          follower_count: Math.max(0, before.follower_count + (follow ? 1 : -1)),
        });
      }
      return { before };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(userKey(handle), ctx.before);
      if (keepRows) void qc.invalidateQueries({ queryKey: ["follows"] });
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: userKey(handle) });
      if (!keepRows) void qc.invalidateQueries({ queryKey: ["follows"] });
      void qc.invalidateQueries({ queryKey: ["me"] });
      void qc.invalidateQueries({ queryKey: ["posts", "feed"] });
    },
  });
}

export function useRemoveFollower() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (handle: string) =>
      unwrap(api.DELETE("/api/follows/{handle}/unfollower/", { params: { path: { handle } } })),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["follows"] });
      void qc.invalidateQueries({ queryKey: ["me"] });
    },
  });
}

export function useFollowList(handle: string, which: "followers" | "follows") {
  return useInfiniteQuery({
    queryKey: ["follows", which, handle.toLowerCase()],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const init = { params: { path: { handle } }, ...followLink(pageParam) };
      return which === "followers"
        ? unwrap(api.GET("/api/follows/{handle}/followers/", init))
        : unwrap(api.GET("/api/follows/{handle}/follows/", init));
    },
    getNextPageParam: (last) => last.next ?? undefined,
  });
}
