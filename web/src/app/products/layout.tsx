import type { Metadata } from "next";

export const metadata: Metadata = { title: "상품" };

export default function ProductsLayout({ children }: { children: React.ReactNode }) {
  return children;
}
