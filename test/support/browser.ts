import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (`.ci/run` installs the `chromium` package when it is missing). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots of every screen, kept as test artifacts (gitignored). */
export const screenshotDir = resolve(import.meta.dirname, "../../test-artifacts/screens");

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/**
 * A page in its own context. `bypassCSP` only lets the test inject axe-core: the pages themselves
 * run under the server's real Content-Security-Policy.
 */
export async function newPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: "ko-KR", viewport: options.viewport ?? { width: 1280, height: 800 } });
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; the serious and critical findings. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}

const webRoot = resolve(import.meta.dirname, "../..");
const webSources = ["web/src", "web/pos.html", "web/kds.html", "web/order.html", "web/admin.html", "web/vite.config.ts", "clients", "protocol"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).filter((f) => f !== "node" && f !== "dist").map((f) => newestMtime(join(path, f))));
}

/**
 * The server serves web/dist: rebuild it when a source is newer than `page` (always in a mutation
 * run's scratch copy, which has no web/dist), so the page under test is the code under test.
 */
export function buildWebIfStale(page = "pos"): void {
  const built = join(webRoot, `web/dist/${page}.html`);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...webSources.map((p) => newestMtime(join(webRoot, p))))) return;
  const result = spawnSync("npm", ["run", "build:web"], { cwd: webRoot, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
}
