"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, type MouseEvent } from "react";
import { useToggleSave } from "@/api/products";
import type { Product } from "@/api/types";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";
import { useSettling } from "@/components/common/server-data";

/**
 * The 찜 heart with its count. Optimistic: the heart flips at once and settles on the server's
 * answer (saving twice is harmless on the server, so a double tap cannot double count).
 * Visitors are sent to log in and come back.
 */
export function SaveButton({
  product,
  className,
  showCount = true,
}: {
  product: Pick<Product, "uuid" | "saved" | "save_count">;
  className?: string;
  showCount?: boolean;
}) {
  const t = useT();
  const router = useRouter();
  const pathname = usePathname();
  const loggedIn = useAuth((s) => !!s.user);
  const toggle = useToggleSave();
  // A server-rendered page: the member's own `saved` is still being read.
  const settling = useSettling();
  // The local answer holds only while the product it was made from is what we are shown.
  const base = `${product.saved}:${product.save_count}`;
  const [local, setLocal] = useState<{ base: string; saved: boolean; count: number } | null>(null);
  const state = local && local.base === base ? local : { saved: product.saved, count: product.save_count };
  const setState = (next: { saved: boolean; count: number }) => setLocal({ base, ...next });

  const onClick = (e: MouseEvent) => {
    // On a card the heart sits inside the product link.
    e.preventDefault();
    e.stopPropagation();
    if (!loggedIn) {
      router.push(`/login?next=${encodeURIComponent(pathname || "/products")}`);
      return;
    }
    const save = !state.saved;
    const before = state;
    setState({ saved: save, count: Math.max(0, state.count + (save ? 1 : -1)) });
    toggle.mutate(
      { uuid: product.uuid, save },
      {
        onSuccess: (p) => setState({ saved: p.saved, count: p.save_count }),
        onError: () => setState(before),
      },
    );
  };
  const label = state.saved ? t("product.unsave") : t("product.save");
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={settling}
      aria-pressed={state.saved}
      aria-label={label}
      title={label}
      data-testid="save-button"
      className={cn(
        "inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded-full px-2 py-1 text-sm font-medium transition-colors hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-orange-500",
        state.saved ? "text-rose-600" : "text-stone-500",
        className,
      )}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" className="h-5 w-5"
        fill={state.saved ? "currentColor" : "none"} stroke="currentColor" strokeWidth={2}>
        <path strokeLinejoin="round"
          d="M12 20.5s-7.5-4.6-9.2-9.3C1.6 7.9 3.8 4.5 7.2 4.5c2 0 3.6 1.1 4.8 2.8 1.2-1.7 2.8-2.8 4.8-2.8 3.4 0 5.6 3.4 4.4 6.7-1.7 4.7-9.2 9.3-9.2 9.3z" />
      </svg>
      {showCount && <span data-testid="save-count">{state.count}</span>}
    </button>
  );
}
