import type { Metadata } from "next";

export const metadata: Metadata = { title: "내 신고" };

export default function ReportsMineLayout({ children }: { children: React.ReactNode }) {
  return children;
}
