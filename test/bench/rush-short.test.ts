import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { tempDir } from "../support/server-process.ts";

// Issue 15: the rush simulator's short mode runs end to end (its own real server, real SDK
// clients, emulated printers) and leaves a table and a JSON file with sane figures. It checks
// that the simulator works, never how fast anything is.
const t = suite("npm run rush -- --short");
const root = resolve(import.meta.dirname, "../..");
const runTimeoutMs = 90_000;

let dir: string;
let run: { code: number | null; stdout: string; stderr: string };

t.before(async () => {
  dir = tempDir("rush-results");
  run = await new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/rush.ts"), "--short"], {
      cwd: root,
      env: { ...process.env, RUSH_RESULTS_DIR: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`rush --short did not finish within ${runTimeoutMs} ms:\n${stdout}\n${stderr}`));
    }, runTimeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
});

t.after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function report(): any {
  const files = readdirSync(dir).filter((f) => /^rush-short-.*\.json$/.test(f));
  assert.is(files.length, 1, `one JSON file in ${dir}: ${files.join(", ")}`);
  return JSON.parse(readFileSync(join(dir, files[0]!), "utf8"));
}

const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);

t("it exits 0 and prints the end table with one row per step, and the verdict", () => {
  assert.is(run.code, 0, `exit code\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.split("\n");
  const header = lines.findIndex((l) => /^\s*stores\s+orders\s+ok\s+confirm p50\s+confirm p99\s+kds p99\s+paper p99\s+slips out/.test(l));
  assert.ok(header >= 0, `table header in:\n${run.stdout}`);
  assert.match(lines[header + 1]!, /^\s*1\s+\d+\s+\d+\s/);
  assert.match(run.stdout, /stores per process at confirm p99 <= 50 ms and confirm -> paper p99 <= 2000 ms: \d+/);
});

t("the JSON holds one step of one store whose every confirm was answered ok, with finite latencies", () => {
  const json = report();
  assert.is(json.settings.short, true);
  assert.is(json.steps.length, 1);
  const step = json.steps[0];
  assert.is(step.stores, 1);
  assert.ok(step.arrivals > 0 && step.sent > 0, "orders were sent");
  assert.is(step.answered, step.sent, "every confirm got a reply");
  assert.is(step.ok, step.sent, `every confirm ok (errors: ${JSON.stringify(step.errors)})`);
  assert.is(step.errors.total, 0);
  assert.ok(step.viaPhone > 0 && step.confirmPhone.samples > 0, "phones ordered too");
  assert.is(step.confirm.samples, step.ok);
  for (const [name, s] of Object.entries({ confirm: step.confirm, kds: step.kds, paper: step.paper })) {
    const summary = s as { p50Ms: number; p99Ms: number; samples: number };
    assert.ok(summary.samples > 0, `${name} has samples`);
    assert.ok(finite(summary.p50Ms) && finite(summary.p99Ms) && summary.p50Ms <= summary.p99Ms, `${name} p50 <= p99, both finite: ${JSON.stringify(summary)}`);
  }
  assert.ok(step.confirm.p50Ms > 0, "a confirm takes time");
  // Every ok confirm asks for at least two slips (bar + kitchen); the slips counted came from the emulators.
  assert.ok(step.slips.expected >= 2 * step.ok, `slips expected ${step.slips.expected} for ${step.ok} confirms`);
  assert.ok(step.slips.printed > 0 && step.slips.printed <= step.slips.expected);
  assert.is(step.slips.outstanding, step.slips.expected - step.slips.printed);
  assert.is(step.slips.unknown, 0, "every slip carries a ticket of a confirm");
  assert.ok(step.kds.pairs >= step.slips.expected, "every ticket matched against the display");
  assert.ok(finite(step.server.cpuPercent) && step.server.cpuPercent >= 0);
  assert.ok(finite(step.server.rssMB) && step.server.rssMB > 0);
  assert.is(typeof step.pass, "boolean");
  assert.ok(json.storesAtLimits === 0 || json.storesAtLimits === 1);
});

t("the p99 chart is written beside the JSON as SVG", () => {
  const svg = readdirSync(dir).filter((f) => /^rush-short-.*\.svg$/.test(f));
  assert.is(svg.length, 1);
  const text = readFileSync(join(dir, svg[0]!), "utf8");
  assert.match(text, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /confirm p99/);
  assert.ok(existsSync(join(dir, svg[0]!)));
});

t.run();
