import { resolve } from "node:path";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

/**
 * The four screens as one multi-page build (server/web-routes.ts serves web/dist): each page
 * loads only its own code, so the QR order page stays small for a cheap phone on a slow link.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact()],
  build: {
    outDir: resolve(import.meta.dirname, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    rollupOptions: {
      input: {
        pos: resolve(import.meta.dirname, "pos.html"),
        kds: resolve(import.meta.dirname, "kds.html"),
        order: resolve(import.meta.dirname, "order.html"),
        admin: resolve(import.meta.dirname, "admin.html"),
      },
    },
  },
});
