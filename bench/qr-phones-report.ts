import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join } from "node:path";
import type { PrintBacklog } from "./print-drain.ts";
import type { LatencySummary } from "./stats.ts";

const resultsFile = join(import.meta.dirname, "results", "qr-phones.json");

/** One side's window: phones (cart.add + cart.confirm) or POS (confirm with the line). */
export interface ConfirmFigures {
  readonly clients: number;
  readonly confirms: number;
  readonly confirmsPerSecond: number;
  readonly latency: LatencySummary;
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
  readonly serverCpuMs: number | null;
  readonly serverCpuPercent: number | null;
  /** Server CPU over the window / confirms in it (a phone's includes its cart.add). */
  readonly serverCpuMsPerConfirm: number;
  /** The same less the idle server's CPU over the window (pings, timers of 250 connections). */
  readonly netServerCpuMsPerConfirm: number;
  readonly benchCpuPercent: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly commits: number;
  readonly units: number;
  readonly meanItemsPerSessionAtEnd: number;
  readonly loadAverage1m: number;
  /**
   * From the phase's start (warm-up included) until its slips were printed: every accepted
   * confirm and the server CPU for all of it, less the idle CPU. Null when not waited for (C).
   */
  readonly phase: { readonly acceptedConfirms: number; readonly serverCpuMs: number; readonly elapsedS: number; readonly netServerCpuMsPerConfirm: number } | null;
}

export interface Ratios {
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPerConfirm: number;
  readonly netCpuMsPerConfirm: number;
  readonly phaseNetCpuMsPerConfirm: number;
}

export interface QrResults {
  readonly issue: 12;
  readonly setup: {
    readonly tables: string;
    readonly tableCount: number;
    readonly phones: number;
    readonly phonesJoined: number;
    readonly posTerminals: number;
    readonly warmUpS: number;
    readonly measureS: number;
    readonly line: unknown;
    readonly limits: { readonly confirmsPerTokenPerMinute: number; readonly confirmsPerTablePerMinute: number };
    /** What the limits let 50 tables confirm per second, sustained. */
    readonly designCeilingConfirmsPerSecond: number;
  };
  readonly tokens: {
    readonly paths: Record<string, number>;
    readonly fallbackReason: string | null;
    readonly qrLink: LatencySummary;
    readonly exchange: LatencySummary;
    readonly exchangeConcurrency: number;
    readonly exchangeBusyRetries: number;
    readonly errors: Record<string, number>;
    readonly serverCpuMs: number | null;
  };
  readonly join: {
    readonly latency: LatencySummary;
    readonly errors: Record<string, number>;
    readonly serverCpuMs: number | null;
    readonly serverCpuMsPerJoin: number | null;
    readonly concurrency: number;
    readonly elapsedS: number;
    readonly benchCpuPercent: number;
  };
  readonly idleServerCpuMsPerS: number;
  readonly phone: ConfirmFigures & {
    readonly scheduled: number;
    readonly cartAdd: LatencySummary;
    readonly printing: PrintBacklog;
    readonly overLimitProbe: { readonly attempts: number; readonly byCode: Record<string, number>; readonly latency: LatencySummary };
  };
  readonly posPaced: ConfirmFigures & { readonly scheduled: number; readonly printing: PrintBacklog };
  readonly pos: ConfirmFigures & { readonly pacedWaits: number; readonly printing: PrintBacklog };
  /** phone / POS closed loop (the figure the issue asks for), and phone / POS at the phones' schedule. */
  readonly ratios: { readonly toPos: Ratios; readonly toPosPaced: Ratios };
  readonly phonesClosedDuringRun: number;
  readonly cleanupErrors: Record<string, number>;
  readonly serverOutput: Record<string, number>;
  readonly elapsedS: number;
}

export function writeQrResults(results: QrResults): string {
  mkdirSync(dirname(resultsFile), { recursive: true });
  const machine = { cpus: availableParallelism(), model: cpus()[0]?.model ?? "unknown", node: process.version };
  writeFileSync(resultsFile, `${JSON.stringify({ ...results, machine, writtenAt: new Date().toISOString() }, null, 2)}\n`);
  return resultsFile;
}

export function printQrReport(r: QrResults): void {
  const s = r.setup;
  console.log(`\nQR phones vs POS, same server, same run (issue #12): ${s.phonesJoined}/${s.phones} phones on ${s.tableCount} tables ${s.tables}, ` +
    `${s.posTerminals} POS terminals; ${s.warmUpS} s warm-up + ${s.measureS} s window each: phones, POS at the phones' schedule, POS closed loop`);
  console.log(`token path: ${Object.entries(r.tokens.paths).map(([k, v]) => `${k} x${v}`).join(", ")}${r.tokens.fallbackReason ? ` (fallback: ${r.tokens.fallbackReason})` : ""}\n`);

  table(
    ["join path", "samples", "p50 ms", "p99 ms", "max ms", "srv cpu ms"],
    [
      ["GET /api/tables/:id/qr (admin)", r.tokens.qrLink.samples, r.tokens.qrLink.p50Ms, r.tokens.qrLink.p99Ms, r.tokens.qrLink.maxMs, ""],
      [`POST /api/qr/session (${r.tokens.exchangeConcurrency} at once)`, r.tokens.exchange.samples, r.tokens.exchange.p50Ms, r.tokens.exchange.p99Ms, r.tokens.exchange.maxMs, fmt(r.tokens.serverCpuMs)],
      [`phone joins table room (${r.join.concurrency} at once)`, r.join.latency.samples, r.join.latency.p50Ms, r.join.latency.p99Ms, r.join.latency.maxMs, `${fmt(r.join.serverCpuMs)} (${fmt(r.join.serverCpuMsPerJoin)}/join)`],
    ],
  );
  console.log("");
  const row = (name: string, f: ConfirmFigures) => [name, f.clients, f.confirms, f.confirmsPerSecond, f.latency.p50Ms, f.latency.p99Ms, f.latency.maxMs, f.errors.total, `${fmt(f.serverCpuPercent)}%`, f.serverCpuMsPerConfirm, f.netServerCpuMsPerConfirm, f.phase?.netServerCpuMsPerConfirm ?? "n/a", f.loopP99Ms, f.loadAverage1m];
  const ratioRow = (name: string, q: Ratios) => [name, "", "", "", `${q.p50}x`, `${q.p99}x`, "", "", "", `${q.cpuMsPerConfirm}x`, `${q.netCpuMsPerConfirm}x`, Number.isFinite(q.phaseNetCpuMsPerConfirm) ? `${q.phaseNetCpuMsPerConfirm}x` : "", "", ""];
  table(
    ["confirm", "clients", "confirms", "confirms/s", "p50 ms", "p99 ms", "max ms", "errors", "srv cpu", "cpu ms/confirm", "net of idle", "+ printing", "loop p99 ms", "load 1m"],
    [
      row("(A) phone cart.confirm", r.phone),
      row("(B) POS, phones' schedule", r.posPaced),
      row("(C) POS, closed loop", r.pos),
      ratioRow("phone / POS closed loop", r.ratios.toPos),
      ratioRow("phone / POS same schedule", r.ratios.toPosPaced),
    ],
  );

  console.log(`\n- phones: ${r.phone.scheduled} orders scheduled in the window (the limits allow a table ${s.limits.confirmsPerTablePerMinute} confirms/min, a phone ${s.limits.confirmsPerTokenPerMinute}), ` +
    `${r.phone.confirms} counted ((B): ${r.posPaced.scheduled} scheduled, ${r.posPaced.confirms} counted); confirms/s is the bench's schedule, not the server's capacity: the design's ceiling for ${s.tableCount} tables is ${s.designCeilingConfirmsPerSecond} confirms/s sustained`);
  console.log(`- phone cart.add before each confirm: p50 ${r.phone.cartAdd.p50Ms} ms, p99 ${r.phone.cartAdd.p99Ms} ms (its CPU is in the phone's cpu ms/confirm)`);
  console.log(`- over the limit, after the window: ${r.phone.overLimitProbe.attempts} more confirms -> ${JSON.stringify(r.phone.overLimitProbe.byCode)}; refusal p50 ${r.phone.overLimitProbe.latency.p50Ms} ms, p99 ${r.phone.overLimitProbe.latency.p99Ms} ms`);
  console.log(`- cpu ms/confirm: server CPU in the window / confirms counted; "net of idle" less the idle server's ${r.idleServerCpuMsPerS} ms CPU per s ` +
    `(every client connected, nobody sending); "+ printing": from the phase's start until its slips were printed, net of idle, per accepted confirm ` +
    `(A: ${r.phone.phase?.acceptedConfirms ?? "n/a"} in ${r.phone.phase?.elapsedS ?? "n/a"} s, B: ${r.posPaced.phase?.acceptedConfirms ?? "n/a"} in ${r.posPaced.phase?.elapsedS ?? "n/a"} s; C not waited for)`);
  const abc = [["A", r.phone], ["B", r.posPaced], ["C", r.pos]] as const;
  console.log(`- commits/units in the window: ${abc.map(([k, f]) => `${k} ${f.commits}/${f.units}`).join(", ")}; loop max ms: ${abc.map(([k, f]) => `${k} ${f.loopMaxMs}`).join(", ")}; bench cpu: ${abc.map(([k, f]) => `${k} ${f.benchCpuPercent}%`).join(", ")}`);
  console.log(`- mean items per session at the end of: ${abc.map(([k, f]) => `${k} ${f.meanItemsPerSessionAtEnd}`).join(", ")}; (C) paced waits ${r.pos.pacedWaits}`);
  console.log(`- phone joins: ${r.join.elapsedS} s for all, bench process cpu ${r.join.benchCpuPercent}% meanwhile`);
  for (const [name, f] of abc) if (f.errors.total > 0) console.log(`- (${name}) errors (warm-up included): ${JSON.stringify(f.errors.byCode)}`);
  if (Object.keys(r.tokens.errors).length > 0) console.log(`- token errors: ${JSON.stringify(r.tokens.errors)}`);
  if (r.tokens.exchangeBusyRetries > 0) console.log(`- exchange BUSY retries: ${r.tokens.exchangeBusyRetries}`);
  if (Object.keys(r.join.errors).length > 0) console.log(`- join errors: ${JSON.stringify(r.join.errors)}`);
  if (r.phonesClosedDuringRun > 0) console.log(`- phones the server closed during the run: ${r.phonesClosedDuringRun}`);
  if (Object.keys(r.cleanupErrors).length > 0) console.log(`- cleanup errors: ${JSON.stringify(r.cleanupErrors)}`);
  for (const [name, p] of [["A", r.phone.printing], ["B", r.posPaced.printing]] as const) {
    if (!p.drained || p.failedSlips > 0) console.log(`- printing after (${name}): drained ${p.drained} in ${p.drainS} s, failed slips ${p.failedSlips}`);
  }
  console.log(`- slips still to print at the end of (C): ${r.pos.printing.backlogAtEnd} (not waited for; the server stops with them)`);
  const lines = Object.entries(r.serverOutput);
  if (lines.length > 0) {
    console.log(`\nServer output at LOG_LEVEL=warn (distinct lines):`);
    for (const [line, n] of lines) console.log(`  ${n}x ${line}`);
  }
  console.log(`\nelapsed ${r.elapsedS} s`);
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "n/a" : String(Math.round(v * 1000) / 1000);
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cells = [head, ...rows].map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  for (const r of cells) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
}
