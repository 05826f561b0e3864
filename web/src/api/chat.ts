"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, followLink, unwrap } from "@/api/client";
import type { Room, RoomCreate } from "@/api/types";
import { chatConnection, roomKey, roomsKey } from "@/stores/chat";
import { useAuth } from "@/stores/auth";

export function useRooms(enabled = true) {
  return useInfiniteQuery({
    queryKey: roomsKey,
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/chats/rooms/", {
          params: { query: { page_size: 50 } },
          ...followLink(pageParam),
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
    staleTime: 5_000,
  });
}

export function useRoom(uuid: string) {
  return useQuery({
    queryKey: roomKey(uuid),
    queryFn: () => unwrap(api.GET("/api/chats/rooms/{uuid}/", { params: { path: { uuid } } })),
    retry: false,
  });
}

export function useCreateRoom() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RoomCreate) =>
      unwrap(api.POST("/api/chats/rooms/", { body: { name: "", ...body } })),
    onSuccess: (room) => {
      qc.setQueryData(roomKey(room.uuid), room);
      void qc.invalidateQueries({ queryKey: roomsKey });
      // After a 4004 close (no rooms left) the socket waits for a room to exist again.
      chatConnection.ensure();
    },
  });
}

/** Opens or reuses the one-to-one room with a product's seller; resolves to the room. */
export function useOpenProductChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (uuid: string) =>
      unwrap(api.POST("/api/products/{uuid}/chat/", { params: { path: { uuid } } })),
    onSuccess: (room) => {
      qc.setQueryData(roomKey(room.uuid), room);
      void qc.invalidateQueries({ queryKey: roomsKey });
      chatConnection.ensure();
    },
  });
}

/** Deletes my message for everyone (within 10 minutes); the socket's message.deleted follows. */
export function useDeleteMessage(room: string) {
  return useMutation({
    mutationFn: (message: string) =>
      unwrap(
        api.DELETE("/api/chats/rooms/{uuid}/messages/{message}/", {
          params: { path: { uuid: room, message } },
        }),
      ),
  });
}

export function useInviteMembers(uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (members: string[]) =>
      unwrap(
        api.POST("/api/chats/rooms/{uuid}/members/", { params: { path: { uuid } }, body: { members } }),
      ),
    onSuccess: (room) => {
      qc.setQueryData(roomKey(uuid), room);
      void qc.invalidateQueries({ queryKey: roomsKey });
    },
  });
}

export function useLeaveRoom(uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/chats/rooms/{uuid}/leave/", { params: { path: { uuid } } })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: roomKey(uuid) });
      void qc.invalidateQueries({ queryKey: roomsKey });
    },
  });
}

/** Mounted once in the app shell: one socket per logged-in user, closed on logout. */
export function useChatSocket() {
  const qc = useQueryClient();
  const handle = useAuth((s) => s.user?.handle ?? null);
  const hydrated = useAuth((s) => s.hydrated);
  useEffect(() => {
    if (!hydrated) return;
    if (handle) chatConnection.start(qc, handle);
    else chatConnection.stop();
  }, [hydrated, handle, qc]);
  useEffect(() => () => chatConnection.stop(), []);
}

/** Shown name of a room: its name, or the other members. */
export function roomTitle(room: Room, me: string | undefined): string {
  if (room.name) return room.name;
  const others = room.members.filter((m) => m.handle !== me);
  return (others.length > 0 ? others : room.members).map((m) => m.display_name || m.handle).join(", ");
}
