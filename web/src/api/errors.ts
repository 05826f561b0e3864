import { isAxiosError } from "axios";

/** The one error shape of the API: `{code, detail, fields?}`. */
export interface ApiError {
  status: number;
  code: string;
  detail: string;
  fields: Record<string, string[]>;
}

export function toApiError(error: unknown): ApiError {
  if (isAxiosError(error)) {
    const data = error.response?.data as Partial<ApiError> | undefined;
    return {
      status: error.response?.status ?? 0,
      code: typeof data?.code === "string" ? data.code : error.response ? "error" : "network_error",
      detail: typeof data?.detail === "string" ? data.detail : "",
      fields: data?.fields && typeof data.fields === "object" ? data.fields : {},
    };
  }
  return { status: 0, code: "error", detail: error instanceof Error ? error.message : "", fields: {} };
}

/** Messages for a field, if any. */
export function fieldErrors(error: ApiError | null, name: string): string[] | undefined {
  const messages = error?.fields[name];
  return messages && messages.length > 0 ? messages : undefined;
}
