"use client";

import { useRouter } from "next/navigation";
import { useSettling } from "@/components/common/server-data";
import { HeartIcon } from "@/components/layout/icons";
import { useT } from "@/i18n";
import { cn } from "@/lib/cn";
import { useAuth } from "@/stores/auth";

interface LikeButtonProps {
  liked: boolean;
  count: number;
  onToggle: (like: boolean) => void;
  size?: "sm" | "md";
  testId?: string;
}

/** A heart with a count. Visitors are sent to log in. */
export function LikeButton({ liked, count, onToggle, size = "md", testId }: LikeButtonProps) {
  const t = useT();
  const router = useRouter();
  const loggedIn = useAuth((s) => !!s.user);
  // A server-rendered page: the member's own `liked` is still being read.
  const settling = useSettling();
  return (
    <button
      type="button"
      disabled={settling}
      aria-pressed={liked}
      aria-label={liked ? t("post.unlike") : t("post.like")}
      data-testid={testId}
      onClick={() => (loggedIn ? onToggle(!liked) : router.push("/login"))}
      className={cn(
        "inline-flex items-center gap-1 rounded-full px-2 py-1 text-stone-500 hover:bg-orange-50",
        liked && "text-red-500",
        size === "sm" ? "text-xs" : "text-sm",
      )}
    >
      <HeartIcon filled={liked} className={size === "sm" ? "h-4 w-4" : "h-5 w-5"} />
      <span data-testid={testId ? `${testId}-count` : undefined}>{count}</span>
    </button>
  );
}
