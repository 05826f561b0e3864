"use client";

import { useParams } from "next/navigation";
import { ChatStatusBanner } from "@/components/chat/status-banner";
import { RoomList } from "@/components/chat/room-list";
import { cn } from "@/lib/cn";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function ChatLayout({ children }: LayoutProps<"/chat">) {
  const user = useRequireAuth();
  const params = useParams<{ room?: string }>();
  const active = params.room;
  if (!user) return null;
  return (
    <div className="overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm">
      <ChatStatusBanner />
      <div className="grid h-[calc(100vh-11rem)] min-h-[420px] md:grid-cols-[280px_1fr]">
        <aside className={cn("border-r border-stone-200", active && "hidden md:block")}>
          <RoomList active={active} />
        </aside>
        <section className={cn("min-h-0", !active && "hidden md:block")}>{children}</section>
      </div>
    </div>
  );
}
