"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type {
  MyReport,
  NumberPage,
  ReportCreate,
  ReportStats,
  ReportUpdate,
  StaffReport,
  StaffReportDetail,
} from "@/api/types";

export function useFileReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReportCreate) => (await api.post("/api/reports/", body)).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["reports"] }),
  });
}

export function useMyReports(page: number) {
  return useQuery({
    queryKey: ["reports", "mine", page],
    queryFn: async () =>
      (await api.get<NumberPage<MyReport>>(`/api/reports/mine/?page=${page}&page_size=20`)).data,
    placeholderData: keepPreviousData,
  });
}

export type QueueFilters = { status?: string; target_type?: string; reason?: string; assignee?: string };

export function useReportQueue(filters: QueueFilters, page: number) {
  const params = new URLSearchParams({ page: String(page), page_size: "20" });
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  return useQuery({
    queryKey: ["reports", "queue", filters, page],
    queryFn: async () => (await api.get<NumberPage<StaffReport>>(`/api/reports/?${params}`)).data,
    placeholderData: keepPreviousData,
  });
}

export function useReport(uuid: string) {
  return useQuery({
    queryKey: ["reports", "detail", uuid],
    queryFn: async () => (await api.get<StaffReportDetail>(`/api/reports/${uuid}/`)).data,
    retry: false,
  });
}

export function useUpdateReport(uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReportUpdate) =>
      (await api.patch<StaffReportDetail>(`/api/reports/${uuid}/`, body)).data,
    onSuccess: (detail) => {
      qc.setQueryData(["reports", "detail", uuid], detail);
      void qc.invalidateQueries({ queryKey: ["reports", "queue"] });
      void qc.invalidateQueries({ queryKey: ["reports", "stats"] });
    },
  });
}

export function useReportStats(from: string, to: string) {
  const params = new URLSearchParams();
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  return useQuery({
    queryKey: ["reports", "stats", from, to],
    queryFn: async () => (await api.get<ReportStats>(`/api/reports/stats/?${params}`)).data,
    retry: false,
  });
}
