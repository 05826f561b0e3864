"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { fetchPage } from "@/api/pages";
import type { User } from "@/api/types";
import { userKey } from "@/api/accounts";

/** Follow or unfollow, with the profile's counts and flag updated at once (rolled back on error). */
export function useFollow(handle: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (follow: boolean) => {
      if (follow) await api.post("/api/follows/", { handle });
      else await api.delete(`/api/follows/${encodeURIComponent(handle)}/unfollow/`);
    },
    onMutate: async (follow) => {
      const key = userKey(handle);
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<User>(key);
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
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: userKey(handle) });
      void qc.invalidateQueries({ queryKey: ["follows"] });
      void qc.invalidateQueries({ queryKey: ["me"] });
      void qc.invalidateQueries({ queryKey: ["posts", "feed"] });
    },
  });
}

export function useRemoveFollower() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (handle: string) =>
      api.delete(`/api/follows/${encodeURIComponent(handle)}/unfollower/`),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["follows"] });
      void qc.invalidateQueries({ queryKey: ["me"] });
    },
  });
}

export function useFollowList(handle: string, which: "followers" | "follows") {
  return useInfiniteQuery({
    queryKey: ["follows", which, handle.toLowerCase()],
    initialPageParam: `/api/follows/${encodeURIComponent(handle)}/${which}/`,
    queryFn: ({ pageParam }) => fetchPage<User>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}
