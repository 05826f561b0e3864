"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { errorText, fieldErrors, toApiError } from "@/api/errors";
import { paramLimits } from "@/api/limits";
import { useSearchAll, useSearchKind, type SearchKind } from "@/api/search";
import type { PostHit, ProductHit, SearchResponse, UserHit } from "@/api/types";
import { PostHitCard, ProductHitCard, UserHitCard } from "@/components/search/hits";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useT, type MessageKey } from "@/i18n";
import { cn } from "@/lib/cn";

type Tab = "all" | SearchKind;
const TABS: { tab: Tab; label: MessageKey }[] = [
  { tab: "all", label: "search.all" },
  { tab: "post", label: "search.posts" },
  { tab: "product", label: "search.products" },
  { tab: "user", label: "search.users" },
];

function renderHit(kind: SearchKind, hit: PostHit | ProductHit | UserHit): ReactNode {
  if (kind === "post") return <PostHitCard hit={hit as PostHit} />;
  if (kind === "product") return <ProductHitCard hit={hit as ProductHit} />;
  return <UserHitCard hit={hit as UserHit} />;
}
const hitKey = (h: PostHit | ProductHit | UserHit) => ("uuid" in h ? h.uuid : h.handle);

function QueryError({ error }: { error: unknown }) {
  useT(); // re-render on a language change
  const err = toApiError(error);
  return <FormMessage kind="error">{fieldErrors(err, "q")?.join(" ") || errorText(err)}</FormMessage>;
}

function Degraded({ data }: { data: SearchResponse | undefined }) {
  const t = useT();
  if (!data || (data.dense && !data.degraded)) return null;
  return <p className="text-xs text-stone-400" data-testid="search-keyword-only">{t("search.keywordOnly")}</p>;
}

const KIND_LABEL: Record<SearchKind, MessageKey> = {
  post: "search.kind.post",
  product: "search.kind.product",
  user: "search.kind.user",
};
const SECTION_LABEL: Record<SearchKind, MessageKey> = {
  post: "search.posts",
  product: "search.products",
  user: "search.users",
};
type AnyHit = PostHit | ProductHit | UserHit;

/** One row of the merged ranking: its kind, then the kind's own card. */
function TopRow({ hit }: { hit: AnyHit }) {
  const t = useT();
  return (
    <li data-testid="search-top-hit" data-kind={hit.kind} className="flex min-w-0 flex-col gap-1">
      <span
        data-testid="search-top-kind"
        className="self-start whitespace-nowrap rounded-full bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-600"
      >
        {t(KIND_LABEL[hit.kind])}
      </span>
      {renderHit(hit.kind, hit)}
    </li>
  );
}

function Suggestions({ words }: { words: string[] }) {
  const t = useT();
  if (words.length === 0) return null;
  return (
    <p className="flex flex-wrap items-center justify-center gap-2 text-sm text-stone-600" data-testid="search-suggestions">
      <span>{t("search.didYouMean")}</span>
      {words.map((w) => (
        <Link key={w} href={`/search?${new URLSearchParams({ q: w })}`} className="whitespace-nowrap font-medium text-orange-700 hover:underline">
          {w}
        </Link>
      ))}
    </p>
  );
}

/** The "all" tab: posts, products and people in the API's one ranking (`top`), each row with
 * its kind; below it, how many of each kind there are, each leading to its own tab. */
function AllResults({ q, onTab }: { q: string; onTab: (t: Tab) => void }) {
  const t = useT();
  const query = useSearchAll(q);
  if (query.isPending) return <Spinner label={t("common.loading")} />;
  if (query.isError) return <QueryError error={query.error} />;
  const data = query.data;
  const counts = (["post", "product", "user"] as const).map((kind) => ({ kind, count: data[kind]?.count ?? 0 }));
  if (counts.every((c) => c.count === 0)) {
    return (
      <div className="flex flex-col gap-3 py-10">
        <p className="text-center text-sm text-stone-500" data-testid="search-empty">{t("search.none")}</p>
        <Suggestions words={data.suggestions ?? []} />
      </div>
    );
  }
  // Without `top` (a single kind was asked for), the kinds follow each other in their own order.
  const ranked: AnyHit[] =
    data.top?.results ??
    counts.flatMap(({ kind }) => (data[kind]?.results ?? []) as AnyHit[]);
  return (
    <div className="flex flex-col gap-4">
      <Degraded data={data} />
      <section data-testid="search-top" aria-label={t("search.top")}>
        <ul className="grid gap-4">
          {ranked.map((h) => <TopRow key={`${h.kind}-${hitKey(h)}`} hit={h} />)}
        </ul>
      </section>
      <nav className="flex flex-wrap gap-2" aria-label={t("search.seeAll")} data-testid="search-kind-counts">
        {counts.filter((c) => c.count > 0).map(({ kind, count }) => (
          <Button key={kind} variant="ghost" size="sm" className="whitespace-nowrap" onClick={() => onTab(kind)} data-testid={`search-more-${kind}`}>
            {t("search.kindCount", { kind: t(SECTION_LABEL[kind]), n: count })} ›
          </Button>
        ))}
      </nav>
    </div>
  );
}

function KindResults({ q, kind }: { q: string; kind: SearchKind }) {
  const t = useT();
  const query = useSearchKind(q, kind);
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
  if (query.isError) return <QueryError error={query.error} />;
  const hits = query.data.pages.flatMap((p) => (p[kind]?.results ?? []) as (PostHit | ProductHit | UserHit)[]);
  // Pages are ranked separately: an item can move between pages while indexing; show it once.
  const seen = new Set<string>();
  const unique = hits.filter((h) => (seen.has(hitKey(h)) ? false : (seen.add(hitKey(h)), true)));
  if (unique.length === 0) return <p className="py-10 text-center text-sm text-stone-500" data-testid="search-empty">{t("search.none")}</p>;
  return (
    <div className="flex flex-col gap-3">
      <Degraded data={query.data.pages[0]} />
      <ul className={cn("grid gap-3", kind !== "post" && "sm:grid-cols-2")}>
        {unique.map((h) => <li key={hitKey(h)}>{renderHit(kind, h)}</li>)}
      </ul>
      <div ref={sentinel} />
      {isFetchingNextPage && <Spinner label={t("common.loading")} />}
      {hasNextPage && !isFetchingNextPage && (
        <div className="flex justify-center"><Button variant="ghost" size="sm" onClick={() => void fetchNextPage()}>{t("common.loadMore")}</Button></div>
      )}
    </div>
  );
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const t = useT();
  const [value, setValue] = useState(initial);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSearch(value.trim());
  };
  return (
      <form onSubmit={onSubmit} className="flex gap-2" role="search">
        <input
          type="search"
          aria-label={t("search.placeholder")}
          placeholder={t("search.placeholder")}
          value={value}
          maxLength={paramLimits["/api/search/"].get.q.maxLength}
          onChange={(e) => setValue(e.target.value)}
          data-testid="search-input"
          className="h-10 flex-1 rounded-xl border border-stone-300 bg-white px-3"
        />
        <Button type="submit">{t("search.button")}</Button>
      </form>
  );
}

function SearchPage() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const typeParam = params.get("type");
  const tab: Tab = typeParam === "post" || typeParam === "product" || typeParam === "user" ? typeParam : "all";
  const go = (nextQ: string, nextTab: Tab) => {
    const sp = new URLSearchParams({ q: nextQ });
    if (nextTab !== "all") sp.set("type", nextTab);
    router.push(`/search?${sp}`);
  };
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <SearchForm key={q} initial={q} onSearch={(v) => go(v, tab)} />
      <nav className="flex gap-1 border-b border-stone-200" aria-label="search tabs">
        {TABS.map(({ tab: k, label }) => (
          <Link
            key={k}
            href={q ? `/search?${new URLSearchParams(k === "all" ? { q } : { q, type: k })}` : "/search"}
            data-testid={`search-tab-${k}`}
            aria-current={tab === k ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm", tab === k ? "border-orange-500 font-semibold text-orange-600" : "border-transparent text-stone-600")}
          >
            {t(label)}
          </Link>
        ))}
      </nav>
      {!q ? (
        <p className="py-10 text-center text-sm text-stone-500">{t("search.enterQuery")}</p>
      ) : tab === "all" ? (
        <AllResults q={q} onTab={(k) => go(q, k)} />
      ) : (
        <KindResults key={`${tab}-${q}`} q={q} kind={tab} />
      )}
    </div>
  );
}

export default function Page() {
  return (
    <Suspense>
      <SearchPage />
    </Suspense>
  );
}
