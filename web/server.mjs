// The production web server: Next.js (pages and the /api/, /media/, /ws/ proxy to Django) behind
// a plain Node HTTP server that owns the client's address.
//
// Django limits login, registration and anonymous traffic per client address. It trusts exactly
// NUM_PROXIES entries of X-Forwarded-For (scripts/run.sh sets 1: this server), and uvicorn runs
// with --no-proxy-headers. `next start` passes a client's own X-Forwarded-For through unchanged
// and adds nothing, so a browser could pick any address and every real one looked like
// 127.0.0.1. Here every request and WebSocket upgrade gets X-Forwarded-For set to the address
// this server saw, replacing whatever the client sent.
//
// Usage: PORT=3000 HOSTNAME=127.0.0.1 node server.mjs   (after `next build`; NEXT_DIST_DIR as in
// next.config.ts).
import { createServer } from "node:http";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

import next from "next";

const port = Number.parseInt(process.env.PORT ?? "3000", 10);
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const dir = dirname(fileURLToPath(import.meta.url));

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
