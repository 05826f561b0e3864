"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type {
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
    mutationFn: (body: LoginRequest) => unwrap(api.POST("/api/accounts/login/", { body })),
    onSuccess: (data) => setSession(data),
  });
}

export function useRegister() {
  const setSession = useAuth((s) => s.setSession);
  return useMutation({
    mutationFn: (body: RegistrationRequest) =>
      unwrap(api.POST("/api/accounts/registration/", { body })),
    onSuccess: (data) => setSession(data),
  });
}

/** Whether Google sign-in is on, and where to send the browser (cached for the session). */
export function useGoogleConfig() {
  return useQuery({
    queryKey: ["google-config"],
    queryFn: () => unwrap(api.GET("/api/accounts/google/config/")),
    staleTime: Infinity,
  });
}

export function useGoogleLogin() {
  const setSession = useAuth((s) => s.setSession);
  return useMutation({
    mutationFn: (body: { code: string; redirect_uri: string; code_verifier: string }) =>
      unwrap(api.POST("/api/accounts/google/login/", { body })),
    onSuccess: (data) => setSession(data),
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: async () => {
      try {
        // The refresh token is the HttpOnly cookie: the API revokes it and clears the cookie.
        if (useAuth.getState().user) await unwrap(api.POST("/api/accounts/logout/", { body: {} }));
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
    mutationFn: (body: PasswordChangeRequest) =>
      unwrap(api.POST("/api/accounts/password/change/", { body })),
    // Other sessions are revoked, this one gets fresh tokens.
    onSuccess: (data) => setSession(data),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: PasswordResetRequest) =>
      unwrap(api.POST("/api/accounts/password/reset/", { body })),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: PasswordResetConfirmRequest) =>
      unwrap(api.POST("/api/accounts/password/reset/confirm/", { body })),
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
      const me = await unwrap(api.GET("/api/accounts/me/"));
      setUser(me);
      return me;
    },
  });
}

export function useUser(handle: string) {
  return useQuery({
    queryKey: userKey(handle),
    queryFn: (): Promise<User | Me> =>
      unwrap(api.GET("/api/accounts/users/{handle}/", { params: { path: { handle } } })),
  });
}

export function useUpdateProfile(handle: string) {
  const qc = useQueryClient();
  const setUser = useAuth((s) => s.setUser);
  return useMutation({
    mutationFn: (body: UserUpdateRequest) =>
      unwrap(api.PATCH("/api/accounts/users/{handle}/", { params: { path: { handle } }, body })),
    onSuccess: (me) => {
      setUser(me);
      qc.setQueryData(userKey(me.handle), me);
      void qc.invalidateQueries({ queryKey: ["me"] });
    },
  });
}

/** Block or unblock: the server ends follows both ways, so every follow and feed list is stale. */
export function useBlock(handle: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (block: boolean) => {
      const params = { path: { handle } };
      if (block) await unwrap(api.POST("/api/accounts/users/{handle}/block/", { params }));
      else await unwrap(api.DELETE("/api/accounts/users/{handle}/block/", { params }));
    },
    onMutate: async (block) => {
      const key = userKey(handle);
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<User>(key);
      if (before) qc.setQueryData<User>(key, { ...before, is_blocked: block });
      return { before };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(userKey(handle), ctx.before);
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: userKey(handle) });
      void qc.invalidateQueries({ queryKey: ["me"] });
      void qc.invalidateQueries({ queryKey: ["follows"] });
      void qc.invalidateQueries({ queryKey: ["posts"] });
      void qc.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

/** Mute or unmute (their posts leave my feeds; the API does not report the state back). */
export function useMute(handle: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (mute: boolean) => {
      const params = { path: { handle } };
      if (mute) await unwrap(api.POST("/api/accounts/users/{handle}/mute/", { params }));
      else await unwrap(api.DELETE("/api/accounts/users/{handle}/mute/", { params }));
      return mute;
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["posts", "feed"] });
      void qc.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

/**
 * "Download my data": the archive needs the Authorization header, so it is fetched with the API
 * client and saved through a Blob link (a plain `<a href>` would go without the token).
 */
export async function downloadMyData(handle: string): Promise<void> {
  const data = await unwrap(api.GET("/api/accounts/export/", { parseAs: "blob" }));
  const blob = new Blob([data], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `tangerine-${handle}-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useDeleteAccount() {
  return useMutation({
    mutationFn: async ({ handle, currentPassword }: { handle: string; currentPassword: string }) => {
      await unwrap(
        api.DELETE("/api/accounts/users/{handle}/", {
          params: { path: { handle } },
          body: { current_password: currentPassword },
        }),
      );
    },
  });
}

/** People by handle or display name, for pickers (at most 20; needs 1 to 50 characters). */
export function useUserSearch(q: string) {
  const term = q.trim().slice(0, 50);
  return useQuery({
    queryKey: ["users", "search", term.toLowerCase()],
    enabled: term.length > 0,
    queryFn: () => unwrap(api.GET("/api/accounts/search/", { params: { query: { q: term } } })),
    staleTime: 30_000,
  });
}

/** People to follow (friends of friends, then popular accounts), for an empty feed. */
export function useSuggestions(enabled = true) {
  return useQuery({
    queryKey: ["users", "suggestions"],
    enabled,
    queryFn: () => unwrap(api.GET("/api/accounts/suggestions/")),
    staleTime: 60_000,
  });
}
