"use client";

import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { api, followLink, unwrap } from "@/api/client";
import { postKey } from "@/api/posts";
import type { Comment, CursorPage, Post } from "@/api/types";

export const commentsKey = (post: string) => ["comments", "post", post] as const;
export const repliesKey = (comment: string) => ["replies", comment] as const;

export function useComments(post: string) {
  return useInfiniteQuery({
    queryKey: commentsKey(post),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/comments/", { params: { query: { post } }, ...followLink(pageParam) })),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useUserComments(handle: string) {
  return useInfiniteQuery({
    queryKey: ["comments", "user", handle.toLowerCase()],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/comments/user/", { params: { query: { handle } }, ...followLink(pageParam) }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useReplies(comment: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: repliesKey(comment),
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/comments/{uuid}/replies/", {
          params: { path: { uuid: comment } },
          ...followLink(pageParam),
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

function bumpCommentCount(qc: QueryClient, post: string, by: number) {
  qc.setQueryData<Post>(postKey(post), (p) =>
    p ? { ...p, comment_count: Math.max(0, p.comment_count + by) } : p,
  );
}

export function useAddComment(post: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => unwrap(api.POST("/api/comments/", { body: { post, text } })),
    onSuccess: () => {
      bumpCommentCount(qc, post, 1);
      void qc.invalidateQueries({ queryKey: commentsKey(post) });
    },
  });
}

export function useDeleteComment(post: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (uuid: string) =>
      unwrap(api.DELETE("/api/comments/{uuid}/", { params: { path: { uuid } } })),
    onSuccess: () => {
      bumpCommentCount(qc, post, -1);
      void qc.invalidateQueries({ queryKey: commentsKey(post) });
    },
  });
}

function patchComment(qc: QueryClient, post: string, uuid: string, change: (c: Comment) => Comment) {
  qc.setQueryData<InfiniteData<CursorPage<Comment>>>(commentsKey(post), (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            results: page.results.map((c) => (c.uuid === uuid ? change(c) : c)),
          })),
        }
      : data,
  );
}

export function useAddReply(post: string, comment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (text: string) =>
      unwrap(
        api.POST("/api/comments/{uuid}/replies/", { params: { path: { uuid: comment } }, body: { text } }),
      ),
    onSuccess: () => {
      patchComment(qc, post, comment, (c) => ({ ...c, reply_count: c.reply_count + 1 }));
      void qc.invalidateQueries({ queryKey: repliesKey(comment) });
    },
  });
}

export function useDeleteReply(post: string, comment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (uuid: string) =>
      unwrap(api.DELETE("/api/replies/{uuid}/", { params: { path: { uuid } } })),
    onSuccess: () => {
      patchComment(qc, post, comment, (c) => ({ ...c, reply_count: Math.max(0, c.reply_count - 1) }));
      void qc.invalidateQueries({ queryKey: repliesKey(comment) });
    },
  });
}

type Likeable = { uuid: string; liked: boolean; like_count: number };

/**
 * Optimistic like toggle for comments and replies: patches the cached list under `key`, rolls
 * back on error, then settles on the server's count.
 */
export function useLikeItem(kind: "comment" | "reply", key: QueryKey, uuid: string) {
  const qc = useQueryClient();
  const patch = (change: (item: Likeable) => Likeable) =>
    qc.setQueryData<InfiniteData<CursorPage<Likeable>>>(key, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              results: page.results.map((item) => (item.uuid === uuid ? change(item) : item)),
            })),
          }
        : data,
    );
  return useMutation({
    mutationFn: (like: boolean) => {
      const params = { path: { uuid } };
      if (kind === "comment") {
        return like
          ? unwrap(api.POST("/api/likes/comment-likes/", { body: { comment: uuid } }))
          : unwrap(api.DELETE("/api/likes/comment-likes/{uuid}/", { params }));
      }
      return like
        ? unwrap(api.POST("/api/likes/reply-likes/", { body: { reply: uuid } }))
        : unwrap(api.DELETE("/api/likes/reply-likes/{uuid}/", { params }));
    },
    onMutate: async (like) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData(key);
      patch((item) =>
        item.liked === like
          ? item
          : { ...item, liked: like, like_count: Math.max(0, item.like_count + (like ? 1 : -1)) },
      );
      return { before };
    },
    onError: (_e, _like, ctx) => qc.setQueryData(key, ctx?.before),
    onSuccess: (state) =>
      patch((item) => ({ ...item, liked: state.liked, like_count: state.like_count })),
  });
}

type Editable = {
  uuid: string;
  text: string;
  updated_at: string;
  edited_at?: string | null;
  mentions?: { handle: string; display_name: string }[];
};

/**
 * Inline edit of a comment or reply by its author: the cached list shows the new text at once,
 * is rolled back if the API refuses, and then takes the server's copy.
 */
function useEditItem(kind: "comment" | "reply", key: QueryKey) {
  const qc = useQueryClient();
  const patch = (uuid: string, change: (item: Editable) => Editable) =>
    qc.setQueryData<InfiniteData<CursorPage<Editable>>>(key, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              results: page.results.map((item) => (item.uuid === uuid ? change(item) : item)),
            })),
          }
        : data,
    );
  return useMutation({
    mutationFn: ({ uuid, text }: { uuid: string; text: string }): Promise<Editable> => {
      const init = { params: { path: { uuid } }, body: { text } };
      return kind === "comment"
        ? unwrap(api.PATCH("/api/comments/{uuid}/", init))
        : unwrap(api.PATCH("/api/replies/{uuid}/", init));
    },
    onMutate: async ({ uuid, text }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData(key);
      patch(uuid, (item) => ({ ...item, text }));
      return { before };
    },
    onError: (_e, _v, ctx) => qc.setQueryData(key, ctx?.before),
    onSuccess: (saved) =>
      patch(saved.uuid, (item) => ({
        ...item,
        text: saved.text,
        updated_at: saved.updated_at,
        edited_at: saved.edited_at,
        mentions: saved.mentions,
      })),
  });
}

export function useEditComment(post: string) {
  return useEditItem("comment", commentsKey(post));
}

export function useEditReply(comment: string) {
  return useEditItem("reply", repliesKey(comment));
}
