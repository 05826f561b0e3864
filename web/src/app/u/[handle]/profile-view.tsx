"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useUser } from "@/api/accounts";
import { toApiError } from "@/api/errors";
import { useCreateRoom } from "@/api/chat";
import { useFollow } from "@/api/follows";
import { useSettling } from "@/components/common/server-data";
import { ReportButton } from "@/components/reports/report-button";
import { AccountMenu } from "@/components/profile/account-menu";
import { ProfileTabs } from "@/components/profile/profile-tabs";
import { Suggestions } from "@/components/follows/suggestions";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { Avatar } from "@/components/ui/responsive-image";
import { formatDate, useLocale, useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

function ExternalLink({ href }: { href: string }) {
  if (!href) return null;
  let label = href;
  try {
    const u = new URL(href);
    label = u.host + (u.pathname === "/" ? "" : u.pathname);
  } catch {
    return null;
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc" className="truncate text-sm text-orange-600 hover:underline">
      {label}
    </a>
  );
}

/** The profile page; its first data comes from the server page (page.tsx). */
export function ProfileView() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { handle } = useParams<{ handle: string }>();
  const decoded = decodeURIComponent(handle);
  const me = useAuth((s) => s.user);
  const query = useUser(decoded);
  const follow = useFollow(decoded);
  const router = useRouter();
  const startChat = useCreateRoom();
  // Server-rendered: the member's own `is_following` is still being read.
  const settling = useSettling();

  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) {
    const err = toApiError(query.error);
    return <FormMessage kind="error">{err.status === 404 ? t("common.notFound") : t("common.error")}</FormMessage>;
  }
  const user = query.data;
  const isMe = me?.uuid === user.uuid;

  return (
    <div className="mx-auto max-w-3xl">
      <Card className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <Avatar user={user} size={96} />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-bold text-stone-900" data-testid="profile-name">
              {user.display_name || user.handle}
            </h1>
            <span className="text-sm text-stone-500">@{user.handle}</span>
          </div>
          {user.bio && <p className="mt-2 whitespace-pre-line text-stone-700" data-testid="profile-bio">{user.bio}</p>}
          <div className="mt-2 flex flex-col gap-0.5">
            <ExternalLink href={user.link_1} />
            <ExternalLink href={user.link_2} />
          </div>
          <div className="mt-3 flex gap-4 text-sm">
            <Link href={`/u/${user.handle}/followers`} className="hover:underline">
              <b data-testid="follower-count">{user.follower_count}</b> {t("profile.followers")}
            </Link>
            <Link href={`/u/${user.handle}/following`} className="hover:underline">
              <b>{user.following_count}</b> {t("profile.following")}
            </Link>
            {/* The server's time zone may name another day than the browser's. */}
            <span className="text-stone-500" suppressHydrationWarning>
              {t("profile.joined")} {formatDate(user.created_at, locale)}
            </span>
          </div>
        </div>
        <div className="flex gap-2">
          {isMe ? (
            <>
              <Link href="/settings/profile" className={buttonVariants({ variant: "secondary", size: "sm" })}>
                {t("profile.edit")}
              </Link>
              <Link href="/products/new" className={buttonVariants({ variant: "primary", size: "sm" })}>
                {t("product.newTitle")}
              </Link>
            </>
          ) : me && user.is_blocked ? (
            <AccountMenu user={user} />
          ) : me ? (
            <>
              <Button
                size="sm"
                variant={user.is_following ? "secondary" : "primary"}
                disabled={follow.isPending || settling}
                data-testid="follow-button"
                onClick={() => follow.mutate(!user.is_following)}
              >
                {user.is_following ? t("profile.unfollow") : t("profile.follow")}
              </Button>
              <Button
                size="sm"
                variant="secondary"
                disabled={startChat.isPending}
                data-testid="message-button"
                onClick={() =>
                  startChat.mutate(
                    { members: [user.handle] },
                    { onSuccess: (room) => router.push(`/chat/${room.uuid}`) },
                  )
                }
              >
                {t("chat.message")}
              </Button>
              <ReportButton targetType="user" target={user.handle} className="self-center" />
              <AccountMenu user={user} />
            </>
          ) : null}
        </div>
      </Card>
      {/* A member who follows no one yet (just after sign-up): people to follow. */}
      {isMe && user.following_count === 0 && (
        <div className="mt-4">
          <Suggestions />
        </div>
      )}
      {user.is_blocked ? (
        <p className="mt-6 text-center text-sm text-stone-500">{t("profile.blocked")}</p>
      ) : (
        <ProfileTabs handle={user.handle} />
      )}
    </div>
  );
}
