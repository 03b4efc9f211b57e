import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { faults as coreFaults, type Fault } from "./faults.ts";

// Each capability keeps its faults in a file of its own (faults-<topic>.ts, exporting `faults`).
const extraFaults: Fault[] = [];
for (const file of readdirSync(import.meta.dirname).filter((f) => /^faults-[a-z0-9-]+\.ts$/.test(f)).sort()) {
  extraFaults.push(...((await import(`./${file}`)) as { faults: readonly Fault[] }).faults);
}
const faults: readonly Fault[] = [...coreFaults, ...extraFaults];

/**
 * npm run mutation [-- <fault id> ...]: copies the tracked tree to a scratch directory (sharing
 * node_modules), then for each deliberate fault in faults.ts applies it, runs the tests that must
 * catch it, and restores the file. Prints caught / total; exits 1 if a fault survived or is stale.
 * The working tree is never touched.
 */
const root = resolve(import.meta.dirname, "../..");

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "tss-mutation-"));
  const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(dir, file));
    } catch {
      // A file deleted in the work tree but still tracked: nothing to copy.
    }
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

type Verdict = "caught" | "survived" | "stale";

function uvu(dir: string, testDir: string, pattern: string): boolean {
  const result = spawnSync(process.execPath, [join(dir, "node_modules/uvu/bin.js"), "-r", "tsx", testDir, pattern], {
    cwd: dir, encoding: "utf8", timeout: 10 * 60_000, env: { ...process.env, FORCE_COLOR: "0" },
  });
  return result.status === 0;
}

function run(dir: string, fault: Fault): { verdict: Verdict; detail: string } {
  const path = join(dir, fault.file);
  const original = readFileSync(path, "utf8");
  const at = original.indexOf(fault.find);
  if (at < 0 || original.indexOf(fault.find, at + 1) >= 0) return { verdict: "stale", detail: `text to replace found ${at < 0 ? "nowhere" : "twice"} in ${fault.file}` };
  writeFileSync(path, original.slice(0, at) + fault.replace + original.slice(at + fault.find.length));
  try {
    for (const [testDir, pattern] of fault.tests) {
      if (!uvu(dir, testDir, pattern)) return { verdict: "caught", detail: `${testDir} ${pattern}` };
    }
    return { verdict: "survived", detail: fault.tests.map(([d, p]) => `${d} ${p}`).join(", ") };
  } finally {
    writeFileSync(path, original);
  }
}

const wanted = new Set(process.argv.slice(2));
const selected = faults.filter((f) => wanted.size === 0 || wanted.has(f.id));
const dir = scratchCopy();
const results: { fault: Fault; verdict: Verdict; detail: string }[] = [];
try {
  // A fault only counts as caught by tests that pass without it.
  const suites = [...new Map(selected.flatMap((f) => f.tests).map(([d, p]) => [`${d} ${p}`, [d, p] as const])).values()];
  for (const [testDir, pattern] of suites) {
    if (!uvu(dir, testDir, pattern)) throw new Error(`baseline: ${testDir} ${pattern} fails without any fault; fix it first`);
  }
  for (const fault of selected) {
    process.stdout.write(`${fault.id} … `);
    const outcome = run(dir, fault);
    results.push({ fault, ...outcome });
    console.log(`${outcome.verdict} (${outcome.detail})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const caught = results.filter((r) => r.verdict === "caught").length;
console.log(`\nmutation score: ${caught} caught / ${results.length} faults`);
for (const r of results.filter((x) => x.verdict !== "caught")) console.log(`  ${r.verdict}: ${r.fault.id} — ${r.fault.rule}`);
process.exit(caught === results.length ? 0 : 1);
