import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import compression from "compression";
import express, { type Application, type Response } from "express";

/** Where `npm ci` (the `prepare` script) builds the screens: web/dist. */
export const webDist = resolve(import.meta.dirname, "../web/dist");

/** The four screens' addresses and their pages (docs/FRONTEND.md). */
const pages = { "/pos": "pos.html", "/kds": "kds.html", "/admin": "admin.html", "/q/:tableToken": "order.html" } as const;

/**
 * The screens on the server's own port: hashed assets cached for a year, pages never (a new
 * build reaches a tablet on its next load). Without a build the pages say how to make one.
 */
export function installWebRoutes(app: Application, dist = webDist): void {
  // gzip for the screens' files only (a cheap phone on a slow link gets the QR page in a third of
  // the bytes); the API's small JSON answers and the WebSocket traffic are left as they are.
  const gzip = compression();
  app.use((req, res, next) => (/^\/(assets\/|pos$|kds$|admin$|q\/)/.test(req.path) ? gzip(req, res, next) : next()));
  app.use("/assets", express.static(join(dist, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }));
  for (const [path, file] of Object.entries(pages)) {
    app.get(path, (_req, res: Response) => {
      const page = join(dist, file);
      res.setHeader("cache-control", "no-cache");
      if (!existsSync(page)) return void res.status(503).type("text/plain").send("the screens are not built: run `npm run build:web` (npm ci does it)");
      res.sendFile(page);
    });
  }
  app.get("/", (_req, res) => res.redirect(302, "/pos"));
}
