"use client";

import Link from "next/link";
import { useMarkRead, useNotifications, useUnreadCount } from "@/api/notifications";
import type { Notification } from "@/api/types";
import { InfiniteList } from "@/components/common/infinite-list";
import { NotificationItem } from "@/components/notifications/notification-item";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";

export default function NotificationsPage() {
  const t = useT();
  const user = useRequireAuth();
  const list = useNotifications();
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  if (!user) return null;
  const onOpen = (n: Notification) => {
    if (!n.read) markRead.mutate({ uuids: [n.uuid] });
  };
  return (
    <Card className="mx-auto max-w-2xl">
      {/* On a phone in English the title and both actions do not fit on one line: the actions
          move under the title (right-aligned), and no word is split. */}
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <PageTitle className="mb-0 whitespace-nowrap" data-nowrap>
          {t("notif.title")}
        </PageTitle>
        <div className="ml-auto flex items-center gap-2">
        <Link
          href="/settings/notifications"
          className="whitespace-nowrap text-sm text-orange-600 hover:underline"
          data-testid="notification-settings-link"
          data-nowrap
        >
          {t("notif.settings")}
        </Link>
        <Button
          variant="secondary"
          size="sm"
          data-testid="mark-all-read"
          disabled={(unread.data ?? 0) === 0 || markRead.isPending}
          onClick={() => markRead.mutate({ all: true })}
        >
          {t("notif.markAll")}
        </Button>
        </div>
      </div>
      <InfiniteList
          query={list}
          className="flex flex-col gap-1"
          getKey={(n) => n.uuid}
          empty={<p className="py-8 text-center text-sm text-stone-500">{t("notif.empty")}</p>}
          render={(n) => <NotificationItem n={n} onOpen={onOpen} />}
        />
    </Card>
  );
}
