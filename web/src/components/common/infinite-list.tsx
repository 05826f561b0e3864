"use client";

import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { useEffect, useRef, type ReactNode } from "react";
import type { CursorPage } from "@/api/types";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT } from "@/i18n";

interface InfiniteListProps<T> {
  query: UseInfiniteQueryResult<InfiniteData<CursorPage<T>>, Error>;
  render: (item: T) => ReactNode;
  getKey: (item: T) => string;
  empty?: ReactNode;
  className?: string;
}

/** Renders cursor pages and loads the next one when the sentinel scrolls into view. */
export function InfiniteList<T>({ query, render, getKey, empty, className }: InfiniteListProps<T>) {
  const t = useT();
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) return <FormMessage kind="error">{t("common.error")}</FormMessage>;
  const items = query.data.pages.flatMap((p) => p.results);
  if (items.length === 0) {
    return <div className="py-10 text-center text-sm text-stone-500">{empty ?? t("common.empty")}</div>;
  }
  return (
    <div>
      <ul className={className ?? "flex flex-col gap-3"}>
        {items.map((item) => (
          <li key={getKey(item)}>{render(item)}</li>
        ))}
      </ul>
      <div ref={sentinel} data-testid="infinite-sentinel" />
      {isFetchingNextPage && <Spinner label={t("common.loading")} />}
      {hasNextPage && !isFetchingNextPage && (
        <div className="flex justify-center py-4">
          <Button variant="ghost" size="sm" onClick={() => void fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      )}
    </div>
  );
}
