"use client";

import Link from "next/link";
import { useFollow, useFollowList, useRemoveFollower } from "@/api/follows";
import type { User } from "@/api/types";
import { InfiniteList } from "@/components/common/infinite-list";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { Avatar } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

function FollowRow({ user, ownFollowers }: { user: User; ownFollowers: boolean }) {
  const t = useT();
  const me = useAuth((s) => s.user);
  // Rows stay after an unfollow, with a follow button to undo it.
  const follow = useFollow(user.handle, { keepRows: true });
  const removeFollower = useRemoveFollower();
  return (
    <Card className="flex items-center gap-3 py-3" data-testid="follow-row">
      <Avatar user={user} size={44} />
      <Link href={`/u/${user.handle}`} className="min-w-0 flex-1">
        <div className="truncate font-semibold text-stone-900">{user.display_name || user.handle}</div>
        <div className="truncate text-xs text-stone-500">@{user.handle}</div>
      </Link>
      {me && me.handle !== user.handle && (
        <Button
          size="sm"
          variant={user.is_following ? "secondary" : "primary"}
          disabled={follow.isPending}
          onClick={() => follow.mutate(!user.is_following)}
        >
          {user.is_following ? t("profile.unfollow") : t("profile.follow")}
        </Button>
      )}
      {ownFollowers && (
        <Button size="sm" variant="ghost" disabled={removeFollower.isPending}
          onClick={() => window.confirm(t("common.confirmDelete")) && removeFollower.mutate(user.handle)}>
          {t("profile.removeFollower")}
        </Button>
      )}
    </Card>
  );
}

export function FollowList({ handle, which }: { handle: string; which: "followers" | "follows" }) {
  const t = useT();
  const me = useAuth((s) => s.user);
  const list = useFollowList(handle, which);
  const ownFollowers = which === "followers" && me?.handle.toLowerCase() === handle.toLowerCase();
  return (
    <div className="mx-auto max-w-xl">
      <PageTitle>
        <Link href={`/u/${handle}`} className="hover:underline">@{handle}</Link>{" "}
        · {which === "followers" ? t("profile.followers") : t("profile.following")}
      </PageTitle>
      <InfiniteList
        query={list}
        getKey={(u) => u.uuid}
        className="flex flex-col gap-2"
        render={(u) => <FollowRow user={u} ownFollowers={ownFollowers} />}
      />
    </div>
  );
}
