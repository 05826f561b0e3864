import type { Metadata, Viewport } from "next";
import "pretendard/dist/web/variable/pretendardvariable-dynamic-subset.css";
import "./globals.css";
import { AppShell } from "@/components/layout/app-shell";
import { Providers } from "@/components/providers";
import { LocaleProvider } from "@/i18n";
import { requestLocale } from "@/lib/server/api";

export const metadata: Metadata = {
  // Pages name themselves ("검색 · 감귤마켓"); posts, products and profiles use their own title,
  // description and photo (server layouts, lib/page-meta.ts).
  title: { default: "감귤마켓 · Tangerine Market", template: "%s · 감귤마켓" },
  description: "감귤마켓: 셀러와 이웃이 상품과 일상을 나누는 곳",
  openGraph: { siteName: "감귤마켓", type: "website", locale: "ko_KR" },
  twitter: { card: "summary" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#f97316" };

// Pages render per request, in the request's language (the `lang` cookie or Accept-Language):
// public pages carry their first content in the HTML (lib/server/).
export default async function RootLayout({ children }: LayoutProps<"/">) {
  const locale = await requestLocale();
  return (
    <html lang={locale} className="h-full antialiased">
      <body className="min-h-full">
        <LocaleProvider locale={locale}>
          <Providers>
            <AppShell>{children}</AppShell>
          </Providers>
        </LocaleProvider>
      </body>
    </html>
  );
}
