"use client";

import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { api } from "@/api/client";
import { fetchPage } from "@/api/pages";
import type { CursorPage, LikeState, Post, PostWrite } from "@/api/types";

export const postKey = (uuid: string) => ["post", uuid] as const;

function usePostList(key: QueryKey, url: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: key,
    enabled,
    initialPageParam: url,
    queryFn: ({ pageParam }) => fetchPage<Post>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** Home: the feed of followed users for members, the latest posts for visitors. */
export function useHomePosts(loggedIn: boolean) {
  return usePostList(
    loggedIn ? ["posts", "feed"] : ["posts", "latest"],
    loggedIn ? "/api/posts/feed/" : "/api/posts/latest/",
  );
}

export function useUserPosts(handle: string) {
  return usePostList(
    ["posts", "user", handle.toLowerCase()],
    `/api/posts/latest/${encodeURIComponent(handle)}/`,
  );
}

export function useLikedPosts(handle: string) {
  return usePostList(
    ["posts", "liked", handle.toLowerCase()],
    `/api/likes/post-likes/?handle=${encodeURIComponent(handle)}`,
  );
}

export function usePost(uuid: string) {
  return useQuery({
    queryKey: postKey(uuid),
    queryFn: async () => (await api.get<Post>(`/api/posts/p/${uuid}/`)).data,
  });
}

export function useSavePost(uuid?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: PostWrite) =>
      uuid
        ? (await api.put<Post>(`/api/posts/p/${uuid}/`, body)).data
        : (await api.post<Post>("/api/posts/p/", body)).data,
    onSuccess: (post) => {
      qc.setQueryData(postKey(post.uuid), post);
      void qc.invalidateQueries({ queryKey: ["posts"] });
    },
  });
}

export function useDeletePost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (uuid: string) => api.delete(`/api/posts/p/${uuid}/`),
    onSuccess: (_r, uuid) => {
      qc.removeQueries({ queryKey: postKey(uuid) });
      void qc.invalidateQueries({ queryKey: ["posts"] });
    },
  });
}

type Snapshot = [QueryKey, unknown][];

/** Applies `change` to the post wherever it is cached (detail and every list); returns a snapshot. */
function patchPost(qc: QueryClient, uuid: string, change: (p: Post) => Post): Snapshot {
  const snapshot: Snapshot = [
    ...qc.getQueriesData({ queryKey: ["post", uuid] }),
    ...qc.getQueriesData({ queryKey: ["posts"] }),
  ];
  qc.setQueryData<Post>(postKey(uuid), (p) => (p ? change(p) : p));
  qc.setQueriesData<InfiniteData<CursorPage<Post>>>({ queryKey: ["posts"] }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            results: page.results.map((p) => (p.uuid === uuid ? change(p) : p)),
          })),
        }
      : data,
  );
  return snapshot;
}

function restore(qc: QueryClient, snapshot: Snapshot | undefined) {
  for (const [key, data] of snapshot ?? []) qc.setQueryData(key, data);
}

/** Like or unlike a post: the heart and count change at once and roll back if the API refuses. */
export function useLikePost(uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (like: boolean) =>
      like
        ? (await api.post<LikeState>("/api/likes/post-likes/", { post: uuid })).data
        : (await api.delete<LikeState>(`/api/likes/post-likes/${uuid}/`)).data,
    onMutate: async (like) => {
      await qc.cancelQueries({ queryKey: postKey(uuid) });
      const snapshot = patchPost(qc, uuid, (p) =>
        p.liked === like
          ? p
          : { ...p, liked: like, like_count: Math.max(0, p.like_count + (like ? 1 : -1)) },
      );
      return { snapshot };
    },
    onError: (_e, _like, ctx) => restore(qc, ctx?.snapshot),
    onSuccess: (state) => {
      patchPost(qc, uuid, (p) => ({ ...p, liked: state.liked, like_count: state.like_count }));
      void qc.invalidateQueries({ queryKey: ["posts", "liked"] });
    },
  });
}

export { restore as restoreSnapshot };
export type { Snapshot };
