"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useState, type FormEvent } from "react";
import { useLogout, useMe } from "@/api/accounts";
import { useChatSocket, useRooms } from "@/api/chat";
import { paramLimits } from "@/api/limits";
import {
  BagIcon,
  ChatIcon,
  HomeIcon,
  PlusIcon,
  SearchIcon,
  UserIcon,
} from "@/components/layout/icons";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { Spinner } from "@/components/ui/card";
import { useLocale, useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";
import type { MessageKey } from "@/i18n/ko";

interface NavItem {
  href: string;
  label: MessageKey;
  icon: (p: { className?: string }) => ReactNode;
  match: (path: string) => boolean;
}

function TangerineLogo() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden>
      <circle cx="12" cy="13.5" r="8.5" fill="#f97316" />
      <path d="M12 5c0-2 1.5-3 3.5-3-0.3 2-1.6 3-3.5 3z" fill="#16a34a" />
    </svg>
  );
}

function HeaderSearch() {
  const t = useT();
  const router = useRouter();
  const [q, setQ] = useState("");
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const value = q.trim();
    if (value) router.push(`/search?q=${encodeURIComponent(value)}`);
  };
  return (
    <form role="search" onSubmit={onSubmit} className="hidden min-w-0 flex-1 sm:flex">
      <input
        type="search"
        aria-label={t("search.placeholder")}
        placeholder={t("search.placeholder")}
        value={q}
        maxLength={paramLimits["/api/search/"].get.q.maxLength}
        onChange={(e) => setQ(e.target.value)}
        data-testid="header-search"
        className="h-8 w-full min-w-0 max-w-56 rounded-full border border-stone-300 bg-stone-50 px-3 text-sm"
      />
    </form>
  );
}

/** Unread messages over the loaded rooms (the socket keeps the cache current). */
function ChatBadge() {
  const rooms = useRooms();
  const n = rooms.data?.pages.reduce((sum, p) => sum + p.results.reduce((s, r) => s + r.unread_count, 0), 0) ?? 0;
  if (n === 0) return null;
  return (
    <span data-testid="nav-unread" className="rounded-full bg-orange-500 px-1.5 text-[10px] font-semibold leading-4 text-white">
      {n > 99 ? "99+" : n}
    </span>
  );
}

function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <button
      type="button"
      data-testid="language-switch"
      onClick={() => setLocale(locale === "ko" ? "en" : "ko")}
      className="whitespace-nowrap rounded-full border border-stone-300 px-3 py-1 text-xs font-medium text-stone-600 hover:bg-stone-100"
    >
      {t("nav.language")}
    </button>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const t = useT();
  const pathname = usePathname();
  const router = useRouter();
  const hydrated = useAuth((s) => s.hydrated);
  const user = useAuth((s) => s.user);
  const logout = useLogout();
  useMe();
  useChatSocket();

  const items: NavItem[] = [
    { href: "/", label: "nav.home", icon: HomeIcon, match: (p) => p === "/" },
    { href: "/products", label: "nav.products", icon: BagIcon, match: (p) => p.startsWith("/products") },
    { href: "/posts/new", label: "nav.newPost", icon: PlusIcon, match: (p) => p === "/posts/new" },
    { href: "/search", label: "nav.search", icon: SearchIcon, match: (p) => p.startsWith("/search") },
    { href: "/chat", label: "nav.chat", icon: ChatIcon, match: (p) => p.startsWith("/chat") },
    {
      href: user ? `/u/${user.handle}` : "/login",
      label: "nav.profile",
      icon: UserIcon,
      match: (p) => !!user && p.startsWith(`/u/${user.handle}`),
    },
  ];

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => router.push("/login?loggedOut=1") });
  };

  return (
    <div className="flex min-h-screen flex-col bg-stone-50">
      <header className="sticky top-0 z-20 border-b border-stone-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-4">
          <Link href="/" className="flex shrink-0 items-center gap-1.5 whitespace-nowrap text-lg font-extrabold text-orange-500">
            <TangerineLogo />
            {t("app.name")}
          </Link>
          <nav aria-label="main" className="ml-2 hidden items-center gap-0.5 md:flex">
            {items.map((item) => (
              <Link
                key={item.label}
                href={item.href}
                className={cn(
                  "flex items-center gap-1.5 whitespace-nowrap rounded-lg px-2.5 py-2 text-sm text-stone-600 hover:bg-stone-100",
                  item.match(pathname) && "font-semibold text-orange-600",
                )}
              >
                <item.icon className="h-5 w-5" />
                {t(item.label)}
                {item.href === "/chat" && user && <ChatBadge />}
              </Link>
            ))}
          </nav>
          <HeaderSearch />
          <div className="ml-auto flex shrink-0 items-center gap-2 whitespace-nowrap">
            <LanguageSwitch />
            {hydrated && user && <NotificationBell active={pathname.startsWith("/notifications")} />}
            {hydrated && user && (
              <Link href="/reports/mine" className="hidden whitespace-nowrap text-xs text-stone-500 hover:underline lg:inline">
                {t("report.mine")}
              </Link>
            )}
            {hydrated && user?.is_staff && (
              <Link
                href="/staff/reports"
                data-testid="nav-staff"
                className={cn(
                  "rounded-lg px-2 py-1 text-xs font-medium text-stone-600 hover:bg-stone-100",
                  pathname.startsWith("/staff") && "text-orange-600",
                )}
              >
                {t("staff.reports")}
              </Link>
            )}
            {hydrated &&
              (user ? (
                <button
                  type="button"
                  onClick={onLogout}
                  data-testid="logout"
                  className="rounded-lg px-3 py-1.5 text-sm text-stone-600 hover:bg-stone-100"
                >
                  {t("nav.logout")}
                </button>
              ) : (
                <>
                  <Link href="/login" className="rounded-lg px-3 py-1.5 text-sm text-stone-600 hover:bg-stone-100">
                    {t("nav.login")}
                  </Link>
                  <Link
                    href="/signup"
                    className="hidden rounded-lg bg-orange-500 px-3 py-1.5 text-sm font-medium text-white hover:bg-orange-600 sm:inline-block"
                  >
                    {t("nav.signup")}
                  </Link>
                </>
              ))}
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 pb-24 pt-6 md:pb-10">
        {hydrated ? children : <Spinner label={t("common.loading")} />}
      </main>
      <nav
        aria-label="mobile"
        className="fixed inset-x-0 bottom-0 z-20 grid grid-cols-6 border-t border-stone-200 bg-white md:hidden"
      >
        {items.map((item) => (
          <Link
            key={item.label}
            href={item.href}
            className={cn(
              "flex flex-col items-center gap-0.5 py-2 text-[11px] text-stone-500",
              item.match(pathname) && "text-orange-600",
            )}
          >
            <item.icon className="h-5 w-5" />
            {t(item.label)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
