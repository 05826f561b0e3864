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
    <div className="min-w-0 overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm" data-testid="chat-card">
      <ChatStatusBanner />
            {/* dvh: the visible height on phones (the address bar and keyboard shrink it); the bottom
          bar and the header are subtracted. minmax(0, 1fr): long words never widen the column. */}
      <div className="grid h-[calc(100dvh-12.5rem)] min-h-[360px] grid-cols-[minmax(0,1fr)] md:h-[calc(100dvh-9rem)] md:grid-cols-[280px_minmax(0,1fr)]">
        <aside className={cn("min-w-0 border-r border-stone-200", active && "hidden md:block")}>
          <RoomList active={active} />
        </aside>
        <section className={cn("min-h-0 min-w-0", !active && "hidden md:block")}>{children}</section>
      </div>
    </div>
  );
}
