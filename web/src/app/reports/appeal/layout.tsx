import type { Metadata } from "next";

export const metadata: Metadata = { title: "이의 신청" };

export default function AppealLayout({ children }: { children: React.ReactNode }) {
  return children;
}
