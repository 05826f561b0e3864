import type { NextConfig } from "next";

// Django serves /api/, /media/ and /ws/; the Next.js server proxies them so the browser sees one
// origin (no CORS, WebSocket upgrades included). Rewrites are written into the build's
// routes-manifest, so API_ORIGIN counts at `next build` time: the e2e harness builds into its own
// distDir (NEXT_DIST_DIR) for its own API port.
const apiOrigin = (process.env.API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");

const nextConfig: NextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Django's URLs end with a slash; Next.js would otherwise strip it and loop with APPEND_SLASH.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  async rewrites() {
    const prefixes = ["api", "media", "ws"];
    // Rules that keep the trailing slash must come before the ones without it.
    return [
      ...prefixes.map((p) => ({ source: `/${p}/:path*/`, destination: `${apiOrigin}/${p}/:path*/` })),
      ...prefixes.map((p) => ({ source: `/${p}/:path*`, destination: `${apiOrigin}/${p}/:path*` })),
    ];
  },
  turbopack: {
    rules: {
      "*.css": {
        loaders: ["@tailwindcss/turbopack"],
        as: "*.css",
      },
    },
  },
};

export default nextConfig;
