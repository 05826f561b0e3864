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
import { api, followLink, unwrap } from "@/api/client";
import type { CursorPage, Post, PostWrite } from "@/api/types";

export const postKey = (uuid: string) => ["post", uuid] as const;

/** Cursor pages of posts: `fetch(link)` gets the first page (null) or a `next` link. */
function usePostList(key: QueryKey, fetch: (link: string | null) => Promise<CursorPage<Post>>) {
  return useInfiniteQuery({
    queryKey: key,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetch(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** Home: the feed of followed users for members, the latest posts for visitors. */
export function useHomePosts(loggedIn: boolean) {
  return usePostList(loggedIn ? ["posts", "feed"] : ["posts", "latest"], (link) =>
    loggedIn
      ? unwrap(api.GET("/api/posts/feed/", followLink(link)))
      : unwrap(api.GET("/api/posts/latest/", followLink(link))),
  );
}

export function useUserPosts(handle: string) {
  return usePostList(["posts", "user", handle.toLowerCase()], (link) =>
    unwrap(
      api.GET("/api/posts/latest/{handle}/", {
        params: { path: { handle } },
        ...followLink(link),
      }),
    ),
  );
}

export function useLikedPosts(handle: string) {
  return usePostList(
    ["posts", "liked", handle.toLowerCase()],
    // With `?handle=` the list holds posts (with `?post=` it holds users).
    (link) =>
      unwrap(
        api.GET("/api/likes/post-likes/", { params: { query: { handle } }, ...followLink(link) }),
      ) as Promise<CursorPage<Post>>,
  );
}

export function usePost(uuid: string) {
  return useQuery({
    queryKey: postKey(uuid),
    queryFn: () => unwrap(api.GET("/api/posts/p/{uuid}/", { params: { path: { uuid } } })),
  });
}

export function useSavePost(uuid?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PostWrite) =>
      uuid
        ? unwrap(api.PUT("/api/posts/p/{uuid}/", { params: { path: { uuid } }, body }))
        : unwrap(api.POST("/api/posts/p/", { body })),
    onSuccess: (post) => {
      qc.setQueryData(postKey(post.uuid), post);
      void qc.invalidateQueries({ queryKey: ["posts"] });
    },
  });
}

export function useDeletePost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (uuid: string) =>
      unwrap(api.DELETE("/api/posts/p/{uuid}/", { params: { path: { uuid } } })),
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
    mutationFn: (like: boolean) =>
      like
        ? unwrap(api.POST("/api/likes/post-likes/", { body: { post: uuid } }))
        : unwrap(api.DELETE("/api/likes/post-likes/{uuid}/", { params: { path: { uuid } } })),
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

/** A tag's posts, newest first (`tag` as shown, without `#`). */
export function useTagPosts(tag: string) {
  return usePostList(["posts", "tag", tag.toLowerCase()], (link) =>
    unwrap(api.GET("/api/posts/p/", { params: { query: { tag } }, ...followLink(link) })),
  );
}

/** Tags on the most posts of the last 24 hours (the server caches them for a minute). */
export function useTrendingTags() {
  return useQuery({
    queryKey: ["tags", "trending"],
    queryFn: () => unwrap(api.GET("/api/tags/trending/")),
    staleTime: 60_000,
  });
}

/** The link to a tag's page. */
export const tagHref = (tag: string) => `/tags/${encodeURIComponent(tag)}`;
