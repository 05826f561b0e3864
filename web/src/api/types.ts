/**
 * Types of the API. Everything the backend documents comes from the generated OpenAPI types
 * (`npm run generate`), so a changed contract breaks `tsc`/`next build` instead of the browser.
 */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type Me = Schemas["Me"];
export type User = Schemas["User"];
export type UserBrief = Pick<User, "handle" | "display_name" | "profile_image">;
export type ImageRef = Schemas["ImageRef"];
export type ImageVariant = Schemas["ImageVariant"];
export type AuthResult = Schemas["AuthResult"];
export type TokenPair = Schemas["TokenPair"];
export type RegistrationRequest = Schemas["RegistrationRequest"];
export type LoginRequest = Schemas["LoginRequest"];
export type PasswordChangeRequest = Schemas["PasswordChangeRequest"];
export type PasswordResetRequest = Schemas["PasswordResetRequest"];
export type PasswordResetConfirmRequest = Schemas["PasswordResetConfirmRequest"];
export type UserUpdateRequest = Schemas["PatchedUserUpdateRequest"];
export type PaginatedUsers = Schemas["PaginatedUserList"];

export interface CursorPage<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface NumberPage<T> extends CursorPage<T> {
  count: number;
}
