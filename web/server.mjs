// The production web server: Next.js pages, and the /api/, /media/, /ws/ and /static/ proxy to
// Django (API_ORIGIN, read at start: one build serves any API address), behind a plain Node HTTP
// server that owns the client's address.
//
// Django limits login, registration and anonymous traffic per client address. It trusts exactly
// NUM_PROXIES entries of X-Forwarded-For (scripts/run.sh sets 1: this server), and uvicorn runs
// with --no-proxy-headers. `next start` passes a client's own X-Forwarded-For through unchanged
// and adds nothing, so a browser could pick any address and every real one looked like
// 127.0.0.1. Here every request and WebSocket upgrade gets X-Forwarded-For set to the address
// this server saw, replacing whatever the client sent.
//
// Usage: PORT=3000 HOSTNAME=127.0.0.1 API_ORIGIN=http://127.0.0.1:8000 node server.mjs
// (after `next build`; NEXT_DIST_DIR as in next.config.ts).
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

import next from "next";

const port = Number.parseInt(process.env.PORT ?? "3000", 10);
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const dir = dirname(fileURLToPath(import.meta.url));
const apiOrigin = (process.env.API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");

// Django's paths. They used to be Next.js rewrites, which `next build` writes into the build with
// the API address of that moment; proxied here, the address is the process's own. The proxy is
// the one Next.js itself uses for rewrites (httpxy, compiled into the pinned `next`), with the
// same options: Host set to the API's, X-Forwarded-Host kept, 30 s for an HTTP answer.
const DJANGO_PATH = /^\/(?:api|media|ws|static)(?:\/|\?|$)/;
const require = createRequire(import.meta.url);
const { ProxyServer } = require("next/dist/compiled/httpxy");
const proxy = new ProxyServer({ target: new URL(apiOrigin), changeOrigin: true, ws: true });
const HTTP_TIMEOUT_MS = 30_000;

function proxyHttp(req, res) {
  const options = { headers: { "x-forwarded-host": req.headers.host ?? "" }, proxyTimeout: HTTP_TIMEOUT_MS };
  proxy.web(req, res, options).catch((error) => {
    console.error(`proxy ${req.method} ${req.url}: ${error.message}`);
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(502, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ detail: "The API is not reachable.", code: "bad_gateway" }));
    } else {
      res.destroy();
    }
  });
}

function proxyUpgrade(req, socket, head) {
  const options = { headers: { "x-forwarded-host": req.headers.host ?? "" } };
  proxy.ws(req, socket, options, head).catch((error) => {
    console.error(`proxy upgrade ${req.url}: ${error.message}`);
    socket.destroy();
  });
}

/** The peer address of the connection, without the IPv4-mapped IPv6 prefix. */
function peerAddress(req) {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** Replace every client-supplied forwarding header with what this server knows. */
function setClientAddress(req) {
  req.headers["x-forwarded-for"] = peerAddress(req);
  delete req.headers["forwarded"];
  delete req.headers["x-real-ip"];
}

const app = next({ dev: false, dir, hostname, port });
await app.prepare();
// The same handlers `next start` uses (router, rewrites proxy, WebSocket upgrades). Taken from the
// prepared server rather than getRequestHandler(), which would also attach its own "upgrade"
// listener to this server and bypass the header rewrite for WebSockets.
const { requestHandler, upgradeHandler } = app;
if (typeof requestHandler !== "function" || typeof upgradeHandler !== "function") {
  throw new Error("next: request/upgrade handlers not found; see web/server.mjs");
}

const server = createServer((req, res) => {
  setClientAddress(req);
  if (DJANGO_PATH.test(req.url ?? "")) {
    proxyHttp(req, res);
    return;
  }
  requestHandler(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end("Internal Server Error");
    }
  });
});
server.on("upgrade", (req, socket, head) => {
  setClientAddress(req);
  if (DJANGO_PATH.test(req.url ?? "")) {
    proxyUpgrade(req, socket, head);
    return;
  }
  Promise.resolve(upgradeHandler(req, socket, head)).catch((error) => {
    console.error(error);
    socket.destroy();
  });
});
server.listen(port, hostname, () => {
  console.log(`> Ready on http://${hostname}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    app.close().finally(() => process.exit(0));
  });
}
