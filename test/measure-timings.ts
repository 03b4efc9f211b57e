import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/**
 * `npm run test:timings`: runs every test file alone (one after another, on a quiet machine) and
 * writes test/timings.json, which test/run.ts uses to spread files over its workers.
 */
const root = resolve(import.meta.dirname);
const uvuBin = resolve(root, "../node_modules/uvu/bin.js");

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

// TEST_FILTER=re measures only matching files and keeps the others' earlier figures.
const filter = process.env.TEST_FILTER ? new RegExp(process.env.TEST_FILTER) : undefined;
const timings: Record<string, number> = filter && existsSync(join(root, "timings.json")) ? JSON.parse(readFileSync(join(root, "timings.json"), "utf8")) : {};
for (const file of testFiles(root).sort().filter((f) => !filter || filter.test(f))) {
  const startedAt = performance.now();
  const run = spawnSync(process.execPath, [uvuBin, "-r", "tsx", root, `^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`], { encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  timings[file] = Math.round((performance.now() - startedAt) / 100) / 10;
  console.log(`${file}: ${timings[file]} s${run.status === 0 ? "" : " (FAILED)"}`);
}
const sorted = Object.fromEntries(Object.entries(timings).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(join(root, "timings.json"), `${JSON.stringify(sorted, null, 2)}\n`);
