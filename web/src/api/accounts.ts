"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type {
  AuthResult,
  LoginRequest,
  Me,
  PasswordChangeRequest,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  RegistrationRequest,
  User,
  UserUpdateRequest,
} from "@/api/types";
import { useAuth } from "@/stores/auth";

export const userKey = (handle: string) => ["user", handle.toLowerCase()] as const;

export function useLogin() {
  const setSession = useAuth((s) => s.setSession);
  return useMutation({
    mutationFn: async (body: LoginRequest) =>
      (await api.post<AuthResult>("/api/accounts/login/", body)).data,
    onSuccess: (data) => setSession(data),
  });
}

export function useRegister() {
  const setSession = useAuth((s) => s.setSession);
  return useMutation({
    mutationFn: async (body: RegistrationRequest) =>
      (await api.post<AuthResult>("/api/accounts/registration/", body)).data,
    onSuccess: (data) => setSession(data),
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: async () => {
      const { refresh } = useAuth.getState();
      try {
        if (refresh) await api.post("/api/accounts/logout/", { refresh });
      } finally {
        // Forget the tokens even when the server cannot be told.
        useAuth.getState().logout();
      }
    },
  });
}

export function useChangePassword() {
  const setSession = useAuth((s) => s.setSession);
  return useMutation({
    mutationFn: async (body: PasswordChangeRequest) =>
      (await api.post<AuthResult>("/api/accounts/password/change/", body)).data,
    // Other sessions are revoked, this one gets fresh tokens.
    onSuccess: (data) => setSession(data),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (body: PasswordResetRequest) =>
      (await api.post("/api/accounts/password/reset/", body)).data,
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: async (body: PasswordResetConfirmRequest) =>
      (await api.post("/api/accounts/password/reset/confirm/", body)).data,
  });
}

/** Refreshes the stored user from /me/ (counts change while the session lives). */
export function useMe() {
  const access = useAuth((s) => s.access);
  const setUser = useAuth((s) => s.setUser);
  return useQuery({
    queryKey: ["me"],
    enabled: !!access,
    queryFn: async () => {
      const me = (await api.get<Me>("/api/accounts/me/")).data;
      setUser(me);
      return me;
    },
  });
}

export function useUser(handle: string) {
  return useQuery({
    queryKey: userKey(handle),
    queryFn: async () =>
      (await api.get<User | Me>(`/api/accounts/users/${encodeURIComponent(handle)}/`)).data,
  });
}

export function useUpdateProfile(handle: string) {
  const qc = useQueryClient();
  const setUser = useAuth((s) => s.setUser);
  return useMutation({
    mutationFn: async (body: UserUpdateRequest) =>
      (await api.patch<Me>(`/api/accounts/users/${encodeURIComponent(handle)}/`, body)).data,
    onSuccess: (me) => {
      setUser(me);
      qc.setQueryData(userKey(me.handle), me);
      void qc.invalidateQueries({ queryKey: ["me"] });
    },
  });
}
