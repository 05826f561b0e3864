"use client";

import { useParams } from "next/navigation";
import { FollowList } from "@/components/follows/follow-list";

export default function Page() {
  const { handle } = useParams<{ handle: string }>();
  return <FollowList handle={decodeURIComponent(handle)} which="follows" />;
}
