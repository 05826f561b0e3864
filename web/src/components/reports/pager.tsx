"use client";

import { Button } from "@/components/ui/button";

/** ← → under a page-number list; nothing when there is only one page. */
export function Pager({ previous, next, onPage }: {
  previous?: string | null; next?: string | null; onPage: (delta: number) => void;
}) {
  if (!previous && !next) return null;
  return (
    <div className="mt-3 flex justify-between">
      <Button size="sm" variant="ghost" disabled={!previous} onClick={() => onPage(-1)}>←</Button>
      <Button size="sm" variant="ghost" disabled={!next} onClick={() => onPage(1)}>→</Button>
    </div>
  );
}
