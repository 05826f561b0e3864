"use client";

import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { api } from "@/api/client";
import { fetchPage } from "@/api/pages";
import { postKey } from "@/api/posts";
import type { Comment, CursorPage, LikeState, Post, Reply } from "@/api/types";

export const commentsKey = (post: string) => ["comments", "post", post] as const;
export const repliesKey = (comment: string) => ["replies", comment] as const;

export function useComments(post: string) {
  return useInfiniteQuery({
    queryKey: commentsKey(post),
    initialPageParam: `/api/comments/?post=${post}`,
    queryFn: ({ pageParam }) => fetchPage<Comment>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useUserComments(handle: string) {
  return useInfiniteQuery({
    queryKey: ["comments", "user", handle.toLowerCase()],
    initialPageParam: `/api/comments/user/?handle=${encodeURIComponent(handle)}`,
    queryFn: ({ pageParam }) => fetchPage<Comment>(pageParam),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useReplies(comment: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: repliesKey(comment),
    enabled,
    initialPageParam: `/api/comments/${comment}/replies/`,
    queryFn: ({ pageParam }) => fetchPage<Reply>(pageParam),
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
    mutationFn: async (text: string) =>
      (await api.post<Comment>("/api/comments/", { post, text })).data,
    onSuccess: () => {
      bumpCommentCount(qc, post, 1);
      void qc.invalidateQueries({ queryKey: commentsKey(post) });
    },
  });
}

export function useDeleteComment(post: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (uuid: string) => api.delete(`/api/comments/${uuid}/`),
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
    mutationFn: async (text: string) =>
      (await api.post<Reply>(`/api/comments/${comment}/replies/`, { text })).data,
    onSuccess: () => {
      patchComment(qc, post, comment, (c) => ({ ...c, reply_count: c.reply_count + 1 }));
      void qc.invalidateQueries({ queryKey: repliesKey(comment) });
    },
  });
}

export function useDeleteReply(post: string, comment: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (uuid: string) => api.delete(`/api/replies/${uuid}/`),
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
  const base = kind === "comment" ? "/api/likes/comment-likes/" : "/api/likes/reply-likes/";
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
    mutationFn: async (like: boolean) =>
      like
        ? (await api.post<LikeState>(base, { [kind]: uuid })).data
        : (await api.delete<LikeState>(`${base}${uuid}/`)).data,
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

type Editable = { uuid: string; text: string; updated_at: string };

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
  const base = kind === "comment" ? "/api/comments/" : "/api/replies/";
  return useMutation({
    mutationFn: async ({ uuid, text }: { uuid: string; text: string }) =>
      (await api.patch<Comment | Reply>(`${base}${uuid}/`, { text })).data,
    onMutate: async ({ uuid, text }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData(key);
      patch(uuid, (item) => ({ ...item, text }));
      return { before };
    },
    onError: (_e, _v, ctx) => qc.setQueryData(key, ctx?.before),
    onSuccess: (saved) =>
      patch(saved.uuid, (item) => ({ ...item, text: saved.text, updated_at: saved.updated_at })),
  });
}

export function useEditComment(post: string) {
  return useEditItem("comment", commentsKey(post));
}

export function useEditReply(comment: string) {
  return useEditItem("reply", repliesKey(comment));
}
