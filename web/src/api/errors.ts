import { HttpError } from "@/api/client";

/** The one error shape of the API: `{code, detail, fields?}`. */
export interface ApiError {
  status: number;
  code: string;
  detail: string;
  fields: Record<string, string[]>;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof HttpError) {
    const data = (error.body && typeof error.body === "object" ? error.body : {}) as Partial<ApiError>;
    return {
      status: error.status,
      code: typeof data.code === "string" ? data.code : "error",
      detail: typeof data.detail === "string" ? data.detail : "",
      fields: data.fields && typeof data.fields === "object" ? data.fields : {},
    };
  }
  // fetch() rejects with a TypeError when the network fails, and with a DOMException on timeout.
  if (error instanceof TypeError || (error instanceof DOMException && error.name === "TimeoutError")) {
    return { status: 0, code: "network_error", detail: "", fields: {} };
  }
  return { status: 0, code: "error", detail: error instanceof Error ? error.message : "", fields: {} };
}

/** Messages for a field, if any. */
export function fieldErrors(error: ApiError | null, name: string): string[] | undefined {
  const messages = error?.fields[name];
  return messages && messages.length > 0 ? messages : undefined;
}
