"use client";

import Link from "next/link";
import { useState } from "react";
import { useSuggestions } from "@/api/accounts";
import { useFollow } from "@/api/follows";
import type { components } from "@/api/schema";
import { Button } from "@/components/ui/button";
import { Card, Spinner } from "@/components/ui/card";
import { Avatar } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";

type Suggestion = components["schemas"]["Suggestion"];

function SuggestionRow({ person }: { person: Suggestion }) {
  const t = useT();
  const follow = useFollow(person.handle);
  // The row stays after following (and can be undone); the list is not reloaded under the hand.
  const [following, setFollowing] = useState(person.is_following);
  const toggle = () => {
    const next = !following;
    setFollowing(next);
    follow.mutate(next, { onError: () => setFollowing(!next) });
  };
  return (
    <li className="flex items-center gap-3 py-2" data-testid="suggestion">
      <Avatar user={person} size={40} />
      <Link href={`/u/${person.handle}`} className="min-w-0 flex-1">
        <div className="truncate text-sm font-semibold text-stone-900">
          {person.display_name || person.handle}
        </div>
        <div className="truncate text-xs text-stone-500">
          @{person.handle} ·{" "}
          {person.reason === "followed_by_people_you_follow"
            ? t("suggest.reasonFriends", { n: person.mutual_count })
            : person.reason === "sells_what_you_looked_at"
              ? t("suggest.reasonSeller")
              : t("suggest.reasonPopular")}
        </div>
      </Link>
      <Button
        size="sm"
        variant={following ? "secondary" : "primary"}
        disabled={follow.isPending}
        onClick={toggle}
        data-testid="suggestion-follow"
      >
        {following ? t("profile.unfollow") : t("profile.follow")}
      </Button>
    </li>
  );
}

/** People to follow: friends of friends, then popular accounts, each with a follow button. */
export function Suggestions({ intro }: { intro?: string }) {
  const t = useT();
  const query = useSuggestions();
  return (
    <Card className="mb-4 flex flex-col gap-1" data-testid="suggestions">
      <h2 className="text-base font-bold text-stone-900">{t("suggest.title")}</h2>
      {intro && <p className="text-sm text-stone-500">{intro}</p>}
      {query.isPending ? (
        <Spinner label={t("common.loading")} />
      ) : query.isError ? (
        <p className="text-sm text-red-600">{t("common.error")}</p>
      ) : query.data.length === 0 ? (
        <p className="py-2 text-sm text-stone-500">{t("suggest.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {query.data.map((person) => (
            <SuggestionRow key={person.uuid} person={person} />
          ))}
        </ul>
      )}
    </Card>
  );
}
