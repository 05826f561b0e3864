"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useEffect, useRef, useState, type FormEvent } from "react";
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
import { rendersOnServer } from "@/lib/server-rendered";
import { useAuth } from "@/stores/auth";
import type { MessageKey } from "@/i18n/ko";

interface NavItem {
  href: string;
  label: MessageKey;
  icon: (p: { className?: string }) => ReactNode;
  match: (path: string) => boolean;
  /** Shown only in the bottom bar (the header has its own search box). */
  mobileOnly?: boolean;
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
    <form role="search" onSubmit={onSubmit} className="hidden min-w-32 flex-1 sm:flex">
      <input
        type="search"
        aria-label={t("search.placeholder")}
        placeholder={t("search.placeholder")}
        value={q}
        maxLength={paramLimits["/api/search/"].get.q.maxLength}
        onChange={(e) => setQ(e.target.value)}
        data-testid="header-search"
        className="h-8 w-full min-w-0 max-w-72 rounded-full border border-stone-300 bg-stone-50 px-3 text-sm"
      />
    </form>
  );
}

/** Unread messages over the loaded rooms (the socket keeps the cache current). */
function ChatBadge({ testId = "nav-unread", className }: { testId?: string; className?: string }) {
  const rooms = useRooms();
  const n = rooms.data?.pages.reduce((sum, p) => sum + p.results.reduce((s, r) => s + r.unread_count, 0), 0) ?? 0;
  if (n === 0) return null;
  return (
    <span
      data-testid={testId}
      className={cn("rounded-full bg-orange-500 px-1.5 text-[10px] font-semibold leading-4 text-white", className)}
    >
      {n > 99 ? "99+" : n}
    </span>
  );
}

/**
 * A form that works before the page hydrates (or without scripts): it posts to `/locale`, which
 * sets the `lang` cookie and sends the browser back here (app/locale/route.ts). Once hydrated, the
 * switch happens in place.
 */
function LanguageSwitch() {
  const t = useT();
  const pathname = usePathname();
  const { locale, setLocale } = useLocale();
  const other = locale === "ko" ? "en" : "ko";
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setLocale(other);
  };
  return (
    <form method="post" action="/locale" onSubmit={onSubmit} className="contents">
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="next" value={pathname} />
      <button
        type="submit"
        data-testid="language-switch"
        className="whitespace-nowrap rounded-full border border-stone-300 px-3 py-1 text-xs font-medium text-stone-600 hover:bg-stone-100"
      >
        {t("nav.language")}
      </button>
    </form>
  );
}

/** "⋯" in the header: the pages that have no room in it (my reports, settings, moderation). */
function MoreMenu({ isStaff, handle }: { isStaff: boolean; handle: string }) {
  const t = useT();
  const pathname = usePathname();
  const ref = useRef<HTMLDetailsElement>(null);
  // Close after navigating and on a click outside.
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
  }, []);
  const links: { href: string; label: MessageKey; testId: string }[] = [
    { href: `/u/${handle}`, label: "nav.profile", testId: "menu-profile" },
    { href: "/reports/mine", label: "report.mine", testId: "menu-my-reports" },
    { href: "/settings/profile", label: "nav.settings", testId: "menu-settings" },
  ];
  if (isStaff) {
    links.push({ href: "/staff/reports", label: "staff.reports", testId: "nav-staff" });
    links.push({ href: "/staff/stats", label: "staff.stats", testId: "menu-staff-stats" });
  }
  return (
    <details ref={ref} className="relative" data-testid="nav-more">
      <summary
        aria-label={t("nav.more")}
        title={t("nav.more")}
        className="flex h-8 w-8 cursor-pointer list-none items-center justify-center rounded-lg text-lg leading-none text-stone-600 hover:bg-stone-100 [&::-webkit-details-marker]:hidden"
      >
        ⋯
      </summary>
      <ul className="absolute right-0 top-9 z-30 w-44 rounded-xl border border-stone-200 bg-white py-1 shadow-lg">
        {links.map((l) => (
          <li key={l.href}>
            <Link href={l.href} data-testid={l.testId} className="block px-3 py-2 text-sm text-stone-700 hover:bg-stone-50">
              {t(l.label)}
            </Link>
          </li>
        ))}
      </ul>
    </details>
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
    { href: "/search", label: "nav.search", icon: SearchIcon, match: (p) => p.startsWith("/search"), mobileOnly: true },
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
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-3 sm:gap-3 sm:px-4">
          <Link
            href="/"
            aria-label={t("app.name")}
            className="flex shrink-0 items-center gap-1.5 whitespace-nowrap text-lg font-extrabold text-orange-500"
          >
            <TangerineLogo />
            <span className="hidden lg:inline">{t("app.name")}</span>
          </Link>
          <nav aria-label="main" className="hidden shrink-0 items-center gap-0.5 md:flex">
            {items
              .filter((item) => !item.mobileOnly)
              .map((item) => (
                <Link
                  key={item.label}
                  href={item.href}
                  aria-label={t(item.label)}
                  title={t(item.label)}
                  className={cn(
                    "flex items-center gap-1.5 whitespace-nowrap rounded-lg px-2 py-2 text-sm text-stone-600 hover:bg-stone-100",
                    item.match(pathname) && "font-semibold text-orange-600",
                  )}
                >
                  <item.icon className="h-5 w-5" />
                  <span className="hidden xl:inline">{t(item.label)}</span>
                  {item.href === "/chat" && user && <ChatBadge />}
                </Link>
              ))}
          </nav>
          <HeaderSearch />
          <div className="ml-auto flex shrink-0 items-center gap-1.5 whitespace-nowrap sm:gap-2">
            <LanguageSwitch />
            {hydrated && user && <NotificationBell active={pathname.startsWith("/notifications")} />}
            {hydrated && user && <MoreMenu isStaff={!!user.is_staff} handle={user.handle} />}
            {hydrated &&
              (user ? (
                <button
                  type="button"
                  onClick={onLogout}
                  data-testid="logout"
                  className="whitespace-nowrap rounded-lg px-2 py-1.5 text-sm text-stone-600 hover:bg-stone-100"
                >
                  {t("nav.logout")}
                </button>
              ) : (
                <>
                  <Link
                    href="/login"
                    data-testid="nav-login"
                    className="whitespace-nowrap rounded-lg px-2 py-1.5 text-sm text-stone-600 hover:bg-stone-100"
                  >
                    {t("nav.login")}
                  </Link>
                  <Link
                    href="/signup"
                    data-testid="nav-signup"
                    className="whitespace-nowrap rounded-lg bg-orange-500 px-3 py-1.5 text-sm font-medium text-white hover:bg-orange-600"
                  >
                    {t("nav.signup")}
                  </Link>
                </>
              ))}
          </div>
        </div>
      </header>
      <main className="mx-auto w-full min-w-0 max-w-5xl flex-1 px-4 pb-24 pt-6 md:pb-10">
        {hydrated || rendersOnServer(pathname) ? children : <Spinner label={t("common.loading")} />}
      </main>
      <nav
        aria-label="mobile"
        className="fixed inset-x-0 bottom-0 z-20 grid grid-cols-6 border-t border-stone-200 bg-white md:hidden"
      >
        {items.map((item) => (
          <Link
            key={item.label}
            href={item.href}
            data-testid={`mobile-nav-${item.href === "/" ? "home" : item.href.split("/")[1]}`}
            className={cn(
              "relative flex min-w-0 flex-col items-center gap-0.5 whitespace-nowrap py-2 text-[11px] text-stone-500",
              item.match(pathname) && "text-orange-600",
            )}
          >
            <item.icon className="h-5 w-5" />
            {t(item.label)}
            {item.href === "/chat" && user && (
              <ChatBadge testId="mobile-nav-unread" className="absolute left-1/2 top-1 ml-1.5" />
            )}
          </Link>
        ))}
      </nav>
    </div>
  );
}
