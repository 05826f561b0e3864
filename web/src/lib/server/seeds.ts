/**
 * What a server page read, as seeds for the browser's TanStack Query cache (HydrationBoundary in
 * components/common/server-data.tsx): the client components find their first data under the
 * same keys the api/ hooks use and render it at once, no refetch, no spinner.
 *
 * The keys are written out here because api/*.ts are client modules (a server component sees only
 * references to their exports); each names the hook it must match.
 */
import { QueryClient, dehydrate, type DehydratedState, type QueryKey } from "@tanstack/react-query";

export const seedKeys = {
  /** api/posts.ts postKey, usePost */
  post: (uuid: string) => ["post", uuid],
  /** api/comments.ts commentsKey, useComments */
  comments: (post: string) => ["comments", "post", post],
  /** api/posts.ts useHomePosts(false) */
  latestPosts: () => ["posts", "latest"],
  /** api/posts.ts useTagPosts */
  tagPosts: (tag: string) => ["posts", "tag", tag.toLowerCase()],
  /** api/posts.ts useUserPosts */
  userPosts: (handle: string) => ["posts", "user", handle.toLowerCase()],
  /** api/posts.ts useTrendingTags */
  trendingTags: () => ["tags", "trending"],
  /** api/products.ts productKey, useProduct */
  product: (uuid: string) => ["product", uuid],
  /** api/products.ts useProducts({}) (the unfiltered list) */
  products: () => ["products", "all", {}],
  /** api/products.ts useCategories */
  categories: () => ["products", "categories"],
  /** api/accounts.ts userKey, useUser */
  user: (handle: string) => ["user", handle.toLowerCase()],
} satisfies Record<string, (...args: string[]) => QueryKey>;

export class Seeds {
  private readonly client = new QueryClient();

  /** A plain query's data (useQuery). */
  item(key: QueryKey, data: unknown): this {
    this.client.setQueryData(key, data);
    return this;
  }

  /** The first cursor page of an infinite query (useInfiniteQuery, initialPageParam null). */
  firstPage(key: QueryKey, page: unknown): this {
    this.client.setQueryData(key, { pages: [page], pageParams: [null] });
    return this;
  }

  state(): DehydratedState {
    return dehydrate(this.client);
  }
}
