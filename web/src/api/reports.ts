"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type { paths } from "@/api/schema";
import type { ReportCreate, ReportUpdate, ReportUpdateBody } from "@/api/types";

export function useFileReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportCreate) => unwrap(api.POST("/api/reports/", { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["reports"] }),
  });
}

export function useMyReports(page: number) {
  return useQuery({
    queryKey: ["reports", "mine", page],
    queryFn: () =>
      unwrap(api.GET("/api/reports/mine/", { params: { query: { page, page_size: 20 } } })),
    placeholderData: keepPreviousData,
  });
}

type QueueQuery = NonNullable<paths["/api/reports/"]["get"]["parameters"]["query"]>;
/** Filters as the page's selects hold them ("" = any). */
export type QueueFilters = { status?: string; target_type?: string; reason?: string; assignee?: string };

export function useReportQueue(filters: QueueFilters, page: number) {
  const query: QueueQuery = { page, page_size: 20 };
  // Empty filters are left out (an empty `status=` would be refused).
  // The selects offer only the schema's values (REPORT_STATUSES, REPORT_TARGET_TYPES, REPORT_REASONS).
  if (filters.status) query.status = filters.status as QueueQuery["status"];
  if (filters.target_type) query.target_type = filters.target_type as QueueQuery["target_type"];
  if (filters.reason) query.reason = filters.reason as QueueQuery["reason"];
  if (filters.assignee) query.assignee = filters.assignee;
  return useQuery({
    queryKey: ["reports", "queue", filters, page],
    queryFn: () => unwrap(api.GET("/api/reports/", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useReport(uuid: string) {
  return useQuery({
    queryKey: ["reports", "detail", uuid],
    queryFn: () => unwrap(api.GET("/api/reports/{uuid}/", { params: { path: { uuid } } })),
    retry: false,
  });
}

export function useUpdateReport(uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportUpdate) =>
      // ReportUpdate: every field optional (the schema marks note and reason required).
      unwrap(
        api.PATCH("/api/reports/{uuid}/", {
          params: { path: { uuid } },
          body: body as ReportUpdateBody,
        }),
      ),
    onSuccess: (detail) => {
      qc.setQueryData(["reports", "detail", uuid], detail);
      void qc.invalidateQueries({ queryKey: ["reports", "queue"] });
      void qc.invalidateQueries({ queryKey: ["reports", "stats"] });
    },
  });
}

export function useReportStats(from: string, to: string) {
  const query: { from?: string; to?: string } = {};
  if (from) query.from = from;
  if (to) query.to = to;
  return useQuery({
    queryKey: ["reports", "stats", from, to],
    queryFn: () => unwrap(api.GET("/api/reports/stats/", { params: { query } })),
    retry: false,
  });
}

// --- appeals -----------------------------------------------------------------------------

type Schemas = import("@/api/schema").components["schemas"];
export type AppealTargetType = Schemas["AppealCreateTargetTypeEnum"];
export type AppealStatus = Schemas["AppealStatusEnum"];
export type AppealDecision = Schemas["DecisionEnum"];
export type HiddenContent = Schemas["HiddenContent"];
export type StaffAppeal = Schemas["StaffAppeal"];
export const APPEAL_TARGET_TYPES: AppealTargetType[] = ["post", "comment", "reply", "chat_message", "product"];
export const APPEAL_STATUSES: AppealStatus[] = ["pending", "upheld", "overturned"];

/** The appeal page's target type from its URL: notifications name chat messages "message". */
export function appealTargetType(raw: string | null): AppealTargetType | null {
  const type = raw === "message" ? "chat_message" : raw;
  return APPEAL_TARGET_TYPES.find((t) => t === type) ?? null;
}

export function useHiddenContent(targetType: AppealTargetType | null, target: string) {
  return useQuery({
    queryKey: ["reports", "hidden", targetType, target],
    enabled: !!targetType && !!target,
    queryFn: () =>
      unwrap(
        api.GET("/api/reports/hidden/", {
          params: { query: { target_type: targetType as AppealTargetType, target } },
        }),
      ),
    retry: false,
  });
}

export function useFileAppeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { target_type: AppealTargetType; target: string; text: string }) =>
      unwrap(api.POST("/api/reports/appeals/", { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["reports", "hidden"] }),
  });
}

export function useAppealQueue(status: AppealStatus | "", page: number) {
  return useQuery({
    queryKey: ["reports", "appeals", status, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/reports/appeals/", {
          params: { query: status ? { status, page, page_size: 20 } : { page, page_size: 20 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDecideAppeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uuid, decision, reason }: { uuid: string; decision: AppealDecision; reason: string }) =>
      unwrap(
        api.PATCH("/api/reports/appeals/{uuid}/", {
          params: { path: { uuid } },
          body: { decision, reason },
        }),
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["reports", "appeals"] }),
  });
}
