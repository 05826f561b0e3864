import type { NextConfig } from "next";

// Django serves /api/, /media/, /ws/ and /static/; the browser sees one origin (no CORS, WebSocket
// upgrades included). In production web/server.mjs proxies them to API_ORIGIN, read when the
// server starts, so one build serves any API address. `next dev` (no server.mjs) uses the
// rewrites below instead; rewrites are written into a build, which is why a build has none.
const apiOrigin = (process.env.API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");

// Security headers for the web pages (Django sets its own on /api/ and /media/). Next.js's
// bootstrap is inline <script> and its styles are inline, so script-src and style-src need
// 'unsafe-inline' (nonces would force every page to render per request); everything else is
// same-origin only. img-src allows https: because a product preview shows the outside store's
// image as is. `next dev` also needs 'unsafe-eval' (React's debugging), never in production.
const dev = process.env.NODE_ENV !== "production";
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Django's URLs end with a slash; Next.js would otherwise strip it and loop with APPEND_SLASH.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    // Every page and static file, not the proxied API, media and socket paths.
    return [{ source: "/((?!api/|media/|ws/|static/).*)", headers: securityHeaders }];
  },
  async rewrites() {
    if (!dev) return [];
    // static/: Django's own files (Swagger UI and ReDoc of /api/schema/, the admin).
    const prefixes = ["api", "media", "ws", "static"];
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
