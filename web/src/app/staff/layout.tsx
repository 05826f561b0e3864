import type { Metadata } from "next";

export const metadata: Metadata = { title: "신고 관리" };

export default function StaffLayout({ children }: { children: React.ReactNode }) {
  return children;
}
