import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { p99Chart, stepDetails, stepTable, verdict, type RushReport } from "./rush-report.ts";
import { rushSettings } from "./rush-settings.ts";
import { runStep, type StepResult } from "./rush-step.ts";

/**
 * `npm run rush` (issue 15): the open-loop dinner-rush simulator. Steps of N = 1, 2, 4, … stores
 * in one server process, each step on a fresh server; stops after the first step that breaks the
 * limits (or at maxStores). `--short` / RUSH_SHORT=1: one small store for a few seconds, the CI
 * check that it works. Exits 1 only when the simulator itself broke, not when a step fails.
 */
async function main(): Promise<void> {
  const settings = rushSettings();
  const startedAt = new Date();
  const log = (line: string) => console.log(line);
  log(`rush${settings.short ? " (short)" : ""}: ${settings.store.tables} tables, ${settings.store.posTerminals} POS, ${settings.store.qrTables}x${settings.store.phonesPerQrTable} phones, ${settings.store.kitchenDisplays} KDS, ${settings.store.printers} printers per store; ` +
    `${settings.baseRatePerStore} -> ${settings.peakRatePerStore} orders/s per store over ${settings.stepMs / 1000} s; N up to ${settings.maxStores}`);
  const steps: StepResult[] = [];
  for (let n = 1; n <= settings.maxStores; n *= 2) {
    log(`step N=${n}: starting the server and ${n} store(s)`);
    const result = await runStep(settings, n, log);
    steps.push(result);
    log(`step N=${n}: confirm p99 ${result.confirm.p99Ms} ms, paper p99 ${result.paper.p99Ms} ms, slips out ${result.slips.outstanding}, errors ${result.errors.total}: ${result.pass ? "within the limits" : "OVER the limits"}`);
    if (!result.pass) break;
  }
  const passing = steps.filter((s) => s.pass).map((s) => s.stores);
  const report: RushReport = {
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpus().length, loadAverage: loadavg().map((v) => Math.round(v * 100) / 100), node: process.version },
    settings,
    steps,
    storesAtLimits: passing.length > 0 ? Math.max(...passing) : 0,
  };
  log("");
  log(stepTable(steps));
  log("(ms; confirm: from the time it was meant to be sent; kds and paper: from the ok reply; cpu: 100% = one core)");
  for (const s of steps) for (const line of stepDetails(s)) log(line);
  log(verdict(report));
  // RUSH_RESULTS_DIR: where the JSON and SVG go (the test points it at a temp dir).
  const dir = process.env.RUSH_RESULTS_DIR ?? resolve(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const name = `rush-${settings.short ? "short-" : ""}${stamp}`;
  const jsonFile = join(dir, `${name}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.svg`), p99Chart(report));
  log(`wrote ${jsonFile} and ${name}.svg`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
