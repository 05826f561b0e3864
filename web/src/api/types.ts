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
  next?: string | null;
  previous?: string | null;
  results: T[];
}

export interface NumberPage<T> extends CursorPage<T> {
  count: number;
}

export type Post = Schemas["Post"];
export type PostWrite = Schemas["PostWriteRequest"];
export type Category = Schemas["PostCategoryEnum"];
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

export type Room = Schemas["Room"];
export type RoomMember = Schemas["Member"];
export type ChatMessage = Schemas["Message"];
export type WsTicket = Schemas["WsTicket"];
// `name` has a default (""): the schema marks it required, the API does not.
export type RoomCreate = Omit<Schemas["RoomCreateRequest"], "name"> & { name?: string };

export type ReportTargetType = Schemas["ReportTargetTypeEnum"];
export type ReportReason = Schemas["UserReportReasonEnum"];
export type ReportStatus = Schemas["ReportStatusEnum"];
export type ReportAction = Schemas["ActionsEnum"];
export type ReportCreate = Schemas["ReportCreateRequest"];
export type MyReport = Schemas["MyReport"];
export type StaffReport = Schemas["StaffReport"];
export type StaffReportDetail = Schemas["StaffReportDetail"];
// All fields are optional (docs/reports.md); the schema marks note and reason required because they have defaults.
export type ReportUpdate = Partial<Schemas["PatchedReportUpdateRequest"]>;
export type ReportUpdateBody = Schemas["PatchedReportUpdateRequest"];
export type ReportStats = Schemas["Stats"];

export type SearchResponse = Schemas["SearchResponse"];
export type PostHit = Schemas["PostHit"];
export type ProductHit = Schemas["ProductHit"];
export type UserHit = Schemas["UserHit"];
export type RecommendPage = Schemas["RecommendPage"];
export type RecommendedPost = Schemas["RecommendedPost"];
export type DwellEvent = Schemas["EventRequest"];

export const REPORT_REASONS: ReportReason[] = [
  "spam", "scam", "counterfeit", "harassment", "hate", "sexual", "violence", "illegal",
  "misinformation", "other",
];
export const REPORT_STATUSES: ReportStatus[] = ["pending", "in_review", "resolved", "rejected"];
export const REPORT_TARGET_TYPES: ReportTargetType[] = [
  "post", "comment", "reply", "product", "user", "chat_message",
];

export type Notification = Schemas["Notification"];
export type NotificationKind = Schemas["NotificationKindEnum"];
export type NotificationPage = Schemas["NotificationPage"];
