/**
 * Types of the API. Everything the backend documents comes from the generated OpenAPI types
 * (`npm run generate`), so a changed contract breaks `tsc`/`next build` instead of the browser.
 */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type Me = Schemas["Me"];
export type User = Schemas["User"];
export type UserBrief = Schemas["UserBrief"];
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

export type Post = Schemas["Post"];
export type PostWrite = Schemas["PostWriteRequest"];
export type Category = Schemas["CategoryEnum"];
export type PostStatus = Schemas["PostStatusEnum"];
export type Comment = Schemas["Comment"];
export type Reply = Schemas["Reply"];
export type LikeState = Schemas["LikeState"];
export type Product = Schemas["Product"];
export type ProductWrite = Schemas["ProductInputRequest"];
export type Currency = Schemas["CurrencyEnum"];
export type Preview = Schemas["Preview"];
export type Image = Schemas["Image"];
export type UploadGrant = Schemas["UploadGrant"];
export type UploadGrantRequest = Schemas["UploadGrantInputRequest"];

export const CATEGORIES: Category[] = [
  "daily",
  "fashion",
  "beauty",
  "food",
  "digital",
  "home",
  "hobby",
  "pets",
  "other",
];

export const CURRENCIES: Currency[] = [
  "KRW", "USD", "EUR", "JPY", "CNY", "GBP", "HKD", "TWD", "SGD", "AUD", "CAD", "VND", "THB",
];
