import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { cpus } from "node:os";
import { buildWebIfStale } from "./support/browser.ts";

/**
 * `npm test`'s runner: every `*.test.ts` under test/ through uvu (with tsx), split over a few
 * worker processes so the suite's wall time stays well under ten minutes. Most of the suite waits
 * on real servers, sockets and browsers rather than on the CPU, so two or three workers overlap
 * those waits even on two cores. Files are spread by their last measured duration
 * (test/timings.json; a file not listed there counts as `defaultSeconds`), longest first onto the
 * least loaded worker. Each worker's output is printed whole when it ends; any failure fails the run.
 *
 *   TEST_WORKERS=n   workers (default: 3, or 1 on a single core)
 *   TEST_FILTER=re   only files whose path (relative to test/) matches
 */
const root = resolve(import.meta.dirname);
const defaultSeconds = 10;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : testFiles(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

function timings(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(root, "timings.json"), "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

const filter = process.env.TEST_FILTER ? new RegExp(process.env.TEST_FILTER) : undefined;
const files = testFiles(root).filter((f) => !filter || filter.test(f)).sort();
if (files.length === 0) {
  console.error(`no test file matches${filter ? ` TEST_FILTER=${filter.source}` : ""}: nothing was run`);
  process.exit(1);
}
const workers = Math.max(1, Math.min(files.length, Number(process.env.TEST_WORKERS ?? (cpus().length > 1 ? 3 : 1))));
const known = timings();
const weightOf = (file: string) => known[file] ?? defaultSeconds;
const groups = Array.from({ length: workers }, () => ({ files: [] as string[], seconds: 0 }));
for (const file of [...files].sort((a, b) => weightOf(b) - weightOf(a))) {
  const lightest = groups.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  lightest.files.push(file);
  lightest.seconds += weightOf(file);
}

/**
 * The browser tests drive Debian's Chromium (playwright-core downloads no browser). On a fresh
 * machine `npm test` installs it (and a Korean font) with apt when it runs as root, as `.ci/run`
 * does; otherwise it stops with what to install.
 */
function ensureChromium(): void {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!files.some((f) => f.startsWith("browser/")) || existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(`the browser tests need Chromium at ${chromium}: apt-get install chromium fonts-nanum (or set CHROMIUM_PATH)`);
    process.exit(1);
  }
  console.log("installing Debian's chromium and fonts-nanum for the browser tests");
  const apt = (args: string[]) => spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
  if (!(apt(["update", "-qq"]) && apt(["install", "-y", "-qq", "chromium", "fonts-nanum"]))) process.exit(1);
}
ensureChromium();
// Built once here, so browser tests on several workers never rebuild web/dist under each other.
if (files.some((f) => f.startsWith("browser/"))) buildWebIfStale();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const uvuBin = resolve(root, "../node_modules/uvu/bin.js");

interface Result { readonly index: number; readonly code: number; readonly output: string; readonly seconds: number }

/** Colourless output (the logs are read as text); FORCE_COLOR beside NO_COLOR would make Node warn. */
function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _dropped, ...rest } = process.env;
  return { ...rest, NO_COLOR: "1" };
}

function runGroup(index: number, group: { files: string[] }): Promise<Result> {
  const startedAt = performance.now();
  // One uvu process per worker; its pattern names exactly this worker's files.
  const pattern = `^(${group.files.map(escape).join("|")})$`;
  return new Promise((done) => {
    // TEST_WORKER gives each worker its own range of server ports (test/support/server-process.ts freePort).
    const child = spawn(process.execPath, [uvuBin, "-r", "tsx", root, pattern], { env: { ...plainEnv(), TEST_WORKER: String(index) }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => done({ index, code: code ?? 1, output, seconds: (performance.now() - startedAt) / 1000 }));
  });
}

console.log(`${files.length} test files on ${workers} workers (estimated ${groups.map((g) => `${Math.round(g.seconds)} s`).join(", ")})`);
const results = await Promise.all(groups.map((group, index) => runGroup(index, group)));
let failed = false;
for (const result of results) {
  console.log(`\n=== worker ${result.index + 1}: ${groups[result.index]!.files.length} files, ${result.seconds.toFixed(0)} s, exit ${result.code}`);
  console.log(result.output.trimEnd());
  if (result.code !== 0) failed = true;
}
const totals = results.map((r) => /Total:\s+(\d+)[\s\S]*?Passed:\s+(\d+)/.exec(r.output)).map((m) => (m ? [Number(m[1]), Number(m[2])] : [0, 0]));
const total = totals.reduce((s, [t]) => s + t!, 0);
const passed = totals.reduce((s, [, p]) => s + p!, 0);
// A worker that ran nothing, or whose counts do not add up, has not shown its files pass.
if (total === 0 || passed !== total || totals.some(([t]) => t === 0)) failed = true;
console.log(`\n${failed ? "FAILED" : "ok"}: ${passed}/${total} tests passed in ${files.length} files`);
process.exit(failed ? 1 : 0);
