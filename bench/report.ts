import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import type { LevelResult } from "./confirm-load.ts";
import type { FanOutResult } from "./fan-out.ts";
import { issue15Rows, type Issue15Row, type KitchenStateOutcome } from "./issue15.ts";
import type { PrintingResult } from "./print-bench.ts";
import type { RawResult } from "./raw-sqlite.ts";
import type { RoomMemoryResult } from "./room-memory.ts";
import { benchSettings, benchStore } from "./settings.ts";
import { round } from "./stats.ts";

export interface GoalVerdict {
  readonly clients: number;
  readonly ratioMin: number;
  readonly p99MsMax: number;
  readonly ratio: number;
  readonly p99Ms: number;
  readonly pass: boolean;
  readonly reasons: readonly string[];
  /** Why this verdict may not hold on a quieter machine; it does not change pass/fail. */
  readonly caveats: readonly string[];
}

export interface RawAround {
  readonly before: number;
  readonly after: number;
  /** The level's ceiling: the mean of the raw slices just before and just after it. */
  readonly mean: number;
  /** The mean of those two slices' p99 latency (ms). */
  readonly p99Ms: number;
  readonly drifted: boolean;
}

export type RoomMemoryOutcome = RoomMemoryResult | { readonly when: string; readonly error: string };
export type FanOutOutcome = FanOutResult | { readonly error: string };
export type PrintingOutcome = PrintingResult | { readonly error: string };

/** Issue 4: the kitchen fan-out's p99 against the raw (idle) WebSocket round trip on the same server. */
export interface FanOutVerdict {
  readonly p99RatioToPingMax: number;
  readonly fanOutP99Ms: number;
  readonly pingP99Ms: number;
  readonly ratio: number;
  readonly pass: boolean;
  readonly reasons: readonly string[];
  readonly caveats: readonly string[];
}

export type LevelWithRatio = LevelResult & { readonly rawAround: RawAround; readonly ratioToRaw: number };

export interface BenchResults {
  readonly generatedAt: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly node: string };
  readonly settings: typeof benchSettings;
  readonly raw: RawResult;
  readonly levels: readonly LevelWithRatio[];
  readonly goal: GoalVerdict;
  /** `afterLevels` is the measurement the goal sheet asks for; `freshServer` has a cleaner baseline. */
  readonly roomMemory: { readonly afterLevels: RoomMemoryOutcome; readonly freshServer: RoomMemoryOutcome };
  /** Issue 4, the last step on the first server. */
  readonly fanOut: FanOutOutcome;
  readonly fanOutGoal: FanOutVerdict;
  /** Issue 5, on a second server whose printers are emulators in the bench process. */
  readonly printing: PrintingOutcome;
  /** What the server printed at LOG_LEVEL=warn (distinct lines with counts): warnings are findings. */
  readonly serverOutput: Record<string, number>;
  /** Issue 15: a fresh kitchen screen's full state after the fan-out and after many bumps (bench/kitchen-state.ts). */
  readonly kitchenState: KitchenStateOutcome;
  /** Issue 15's table: each figure beside its raw limit from this run (bench/issue15.ts). */
  readonly issue15: readonly Issue15Row[];
}

/** Level i ran between raw slices i and i + 1 (run.ts). */
export function assembleResults(
  raw: RawResult, levels: readonly LevelResult[], roomMemory: BenchResults["roomMemory"], fanOut: FanOutOutcome, printing: PrintingOutcome, serverOutput: Record<string, number>,
  kitchenState: KitchenStateOutcome,
): BenchResults {
  const withRatio = levels.map((l, i): LevelWithRatio => {
    const before = raw.slices[i]?.confirmsPerSecond ?? Number.NaN;
    const after = raw.slices[i + 1]?.confirmsPerSecond ?? Number.NaN;
    const mean = round((before + after) / 2, 1);
    const p99Ms = round(((raw.slices[i]?.latency.p99Ms ?? Number.NaN) + (raw.slices[i + 1]?.latency.p99Ms ?? Number.NaN)) / 2);
    const drifted = Math.max(before, after) / Math.min(before, after) > benchSettings.rawDriftWarnRatio;
    return { ...l, rawAround: { before, after, mean, p99Ms, drifted }, ratioToRaw: round(l.confirmsPerSecond / mean) };
  });
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? "unknown", node: process.version },
    settings: benchSettings,
    raw,
    levels: withRatio,
    goal: judgeGoal(withRatio),
    roomMemory,
    fanOut,
    fanOutGoal: judgeFanOut(fanOut),
    printing,
    serverOutput,
    kitchenState,
    issue15: issue15Rows({ levels: withRatio, printing, fanOut, kitchenState }),
  };
}

/** Distinct server output lines with counts, bounded; the "listening" line is expected and left out. */
export function summarizeServerOutput(phases: readonly { readonly phase: string; readonly chunks: readonly string[] }[], distinctMax = 20): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { phase, chunks } of phases) {
    for (const line of chunks.join("").split("\n")) {
      const text = line.replace(/^\S+Z (WARN|ERROR) /, "$1 ").trim().slice(0, 160);
      if (text === "" || text.includes('"event":"listening"')) continue;
      const tagged = `[${phase}] ${text}`;
      const key = counts.has(tagged) || counts.size < distinctMax ? tagged : "(other lines)";
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return Object.fromEntries(counts);
}

/** Splits the server's output by what the bench was doing when it arrived. */
export class OutputPhases {
  readonly #marks: { phase: string; from: number }[] = [];
  constructor(private readonly output: readonly string[]) {}

  begin(phase: string): void {
    this.#marks.push({ phase, from: this.output.length });
  }

  split(): { phase: string; chunks: string[] }[] {
    const marks = [{ phase: "start", from: 0 }, ...this.#marks];
    return marks.map((m, i) => ({ phase: m.phase, chunks: this.output.slice(m.from, marks[i + 1]?.from ?? this.output.length) }));
  }
}

/** The goal line: at 64 clients, at least raw confirms/s and p99 within 50 ms, with no errors. */
function judgeGoal(levels: readonly LevelWithRatio[]): GoalVerdict {
  const { clients, ratioMin, p99MsMax } = benchSettings.goal;
  const level = levels.find((l) => l.clients === clients);
  if (!level) return { clients, ratioMin, p99MsMax, ratio: Number.NaN, p99Ms: Number.NaN, pass: false, reasons: [`no ${clients}-client level ran`], caveats: [] };
  const reasons: string[] = [];
  if (!(level.ratioToRaw >= ratioMin)) reasons.push(`confirms/s is ${level.ratioToRaw}x raw (< ${ratioMin}x)`);
  if (!(level.latency.p99Ms <= p99MsMax)) reasons.push(`p99 is ${level.latency.p99Ms} ms (> ${p99MsMax} ms)`);
  if (level.errors.total > 0) reasons.push(`${level.errors.total} confirms failed`);
  const caveats: string[] = [];
  if (level.rawAround.drifted) caveats.push(`the raw slices around it differ (${level.rawAround.before} vs ${level.rawAround.after} confirms/s): the disk drifted, so the ratio is shaky`);
  const previous = levels[levels.indexOf(level) - 1];
  if (previous && !previous.printing.drained) caveats.push(`the ${previous.clients}-client level's slips were still printing when it started`);
  return { clients, ratioMin, p99MsMax, ratio: level.ratioToRaw, p99Ms: level.latency.p99Ms, pass: reasons.length === 0, reasons, caveats };
}

/** The issue-4 goal line: fan-out p99 within 3x the idle WebSocket round trip p99, every ticket shown, no failed confirm. */
function judgeFanOut(fanOut: FanOutOutcome): FanOutVerdict {
  const { p99RatioToPingMax } = benchSettings.fanOut.goal;
  if ("error" in fanOut) return { p99RatioToPingMax, fanOutP99Ms: Number.NaN, pingP99Ms: Number.NaN, ratio: Number.NaN, pass: false, reasons: [`the fan-out did not run: ${fanOut.error}`], caveats: [] };
  const fanOutP99Ms = fanOut.latency.p99Ms;
  const pingP99Ms = fanOut.wsPingIdle.p99Ms;
  const ratio = round(fanOutP99Ms / pingP99Ms, 1);
  const reasons: string[] = [];
  if (!(ratio <= p99RatioToPingMax)) reasons.push(`fan-out p99 is ${ratio}x the WebSocket round trip p99 (> ${p99RatioToPingMax}x)`);
  if (fanOut.drops.total > 0) reasons.push(`the server closed KDS connections ${fanOut.drops.total} times (${codeList(fanOut.drops.byCode)}), the first ${fanOut.drops.firstAfterJoinS} s after the first KDS joined`);
  if (fanOut.missing > 0) reasons.push(`${fanOut.missing} of ${fanOut.pairs} tickets never reached their KDS within ${benchSettings.fanOut.settleTimeoutMs / 1000} s`);
  if (fanOut.confirm.errors.total > 0) reasons.push(`${fanOut.confirm.errors.total} confirms failed`);
  if (fanOut.pairs === 0) reasons.push("no confirm completed in the window");
  const caveats: string[] = [];
  if (fanOut.printBacklogAtStart > 0) caveats.push(`${fanOut.printBacklogAtStart} slips of the earlier steps were still printing when it started`);
  if (fanOut.confirm.bench.cpuPercent >= 90) caveats.push(`the bench process (POS clients and KDS decoding) used ${fanOut.confirm.bench.cpuPercent}% CPU: a busy client loop delays both the reply and the ticket`);
  return { p99RatioToPingMax, fanOutP99Ms, pingP99Ms, ratio, pass: reasons.length === 0, reasons, caveats };
}

export function printReport(results: BenchResults): void {
  const { raw, levels } = results;
  const header = ["clients", "confirms/s", "p50 ms", "p99 ms", "loop p99 ms", "units/commit", "raw c/s", "ratio/raw", "errors", "srv cpu", "bench cpu"];
  const rows = levels.map((l) => [
    String(l.clients), fixed(l.confirmsPerSecond, 1), fixed(l.latency.p50Ms), fixed(l.latency.p99Ms), fixed(l.server.eventLoopDelayP99Ms),
    fixed(l.server.unitsPerCommit), `${fixed(l.rawAround.mean, 1)}${l.rawAround.drifted ? "*" : ""}`, `${fixed(l.ratioToRaw)}x`, String(l.errors.total),
    l.server.cpuPercent === undefined ? "-" : `${l.server.cpuPercent}%`, `${l.bench.cpuPercent}%`,
  ]);
  const o = raw.overall;
  rows.push(["raw", fixed(o.confirmsPerSecond, 1), fixed(o.latency.p50Ms), fixed(o.latency.p99Ms), "-", "1.00", fixed(o.confirmsPerSecond, 1), "1.00x", "0", "-", "-"]);
  console.log(`\nConfirm benchmark (${results.machine.cpus} cpus, node ${results.machine.node}; ${benchSettings.measureMs / 1000} s per level after ` +
    `${benchSettings.warmUpMs / 1000} s warm-up; raw ${raw.slices.length} x ${benchSettings.rawSliceMs / 1000} s)\n`);
  console.log(table(header, rows));
  console.log("  loop p99 = the server's eventLoopDelayP99Ms; Node's histogram includes its 10 ms sampling interval, so an idle loop reads about 10-12 ms.");
  console.log(`  raw c/s = mean of the raw slices just before and after the level${levels.some((l) => l.rawAround.drifted) ? "; * = those slices differ by more than " + benchSettings.rawDriftWarnRatio + "x (disk fsync time drifted: ratio is shaky)" : ""}`);
  printDetails(results);
}

function printDetails(results: BenchResults): void {
  const { raw, levels, goal, roomMemory, serverOutput } = results;
  for (const l of levels) {
    const codes = Object.entries(l.errors.byCode).map(([c, n]) => `${c} x${n}`).join(", ");
    console.log(`  ${l.clients} clients on ${l.tables}: ${l.confirms} confirms, ${l.server.commits} commits / ${l.server.units} units, ` +
      `${l.sessionRotations.count} session rotations, loop max ${l.server.eventLoopDelayMaxMs} ms, bench loop p99 ${l.bench.eventLoopDelayP99Ms} ms, ` +
      `latency max ${l.latency.maxMs} ms` + (codes ? `; ERRORS: ${codes}` : ""));
    const p = l.printing;
    console.log(`    printing: ${p.backlogAtEnd} slips not yet printed when the window ended; ${p.drained ? "printed" : "NOT printed"} ${p.drained ? "after" : "within"} ${p.drainS} s more` +
      `; unprinted after the burst: ${p.unprintedAfter.map((c) => `+${c.seconds} s ${c.count ?? "?"}`).join(", ")}` +
      (p.failedSlips > 0 ? `; ${p.failedSlips} FAILED slips` : ""));
    const c = l.commitSplit;
    console.log(`    commits: ${c.commits} for ${c.confirms} confirms (${fixed(c.commitsPerConfirm, 3)}/confirm), ${c.units} units (${fixed(c.unitsPerCommit)}/commit) = ` +
      `${c.commandUnits ?? "?"} command units for ${c.okCommands ?? "?"} ok commands + ${c.systemWrites ?? "?"} system writes for ${c.settledSlips} slips settled ` +
      `(${c.systemWritesPerSlip === undefined ? "n/a" : fixed(c.systemWritesPerSlip)}/slip)` +
      (c.confirmPathCommitsPerConfirm === undefined ? "" : `; confirm-path commits ${fixed(c.confirmPathCommitsPerConfirm, 3)}/confirm, bookkeeping-only commits ${c.bookkeepingCommitsPerSlip === undefined ? "n/a" : fixed(c.bookkeepingCommitsPerSlip, 3)}/slip`));
  }
  console.log(`  raw slices (confirms/s): ${raw.slices.map((s) => `${s.label} ${s.confirmsPerSecond}`).join(", ")}; max ${raw.overall.latency.maxMs} ms`);
  console.log("");
  for (const m of [roomMemory.afterLevels, roomMemory.freshServer]) printRoomMemory(m);
  if (!("error" in roomMemory.afterLevels)) {
    const ping = roomMemory.afterLevels.wsPing;
    console.log(`WebSocket ping round trip (${ping.samples}x, after the levels, no load): p50 ${ping.p50Ms} ms, p99 ${ping.p99Ms} ms`);
  }
  const printed = Object.entries(serverOutput);
  if (printed.length > 0) {
    console.log(`\nServer output at LOG_LEVEL=warn (distinct lines):`);
    for (const [line, n] of printed) console.log(`  ${String(n).padStart(5)}x ${line}`);
  }
  printFanOut(results.fanOut);
  printKitchenState(results.kitchenState);
  printPrinting(results.printing);
  const verdict = goal.pass ? "PASS" : `FAIL (${goal.reasons.join("; ")})`;
  console.log(`\nGoal: at ${goal.clients} clients confirms/s >= ${goal.ratioMin.toFixed(1)}x raw and p99 <= ${goal.p99MsMax} ms: ` +
    `${goal.ratio}x raw, p99 ${goal.p99Ms} ms -> ${verdict}`);
  for (const caveat of goal.caveats) console.log(`  caveat: ${caveat}`);
  const f = results.fanOutGoal;
  const fanOutVerdict = f.pass ? "PASS" : `FAIL (${f.reasons.join("; ")})`;
  console.log(`Goal (kitchen fan-out): p99 <= ${f.p99RatioToPingMax}x the raw WebSocket round trip p99: ${fixed(f.fanOutP99Ms)} ms vs ${fixed(f.pingP99Ms)} ms = ` +
    `${fixed(f.ratio, 1)}x -> ${fanOutVerdict}`);
  for (const caveat of f.caveats) console.log(`  caveat: ${caveat}`);
  console.log("");
}

function printFanOut(fanOut: FanOutOutcome): void {
  const s = benchSettings.fanOut;
  if ("error" in fanOut) {
    console.log(`\nKitchen fan-out: FAILED (${fanOut.error})`);
    return;
  }
  const c = fanOut.confirm;
  console.log(`\nKitchen fan-out (${fanOut.posClients} POS clients confirming on ${c.tables}, ${fanOut.kitchenDisplays} KDS joined as ${benchStore.kitchen.id} to the kitchen room "all"; ` +
    `${s.measureMs / 1000} s after ${s.warmUpMs / 1000} s warm-up, same server, after the steps above)\n`);
  const header = ["", "samples", "p50 ms", "p99 ms", "max ms"];
  const row = (label: string, l: { samples: number; p50Ms: number; p99Ms: number; maxMs: number }) => [label, String(l.samples), fixed(l.p50Ms), fixed(l.p99Ms), fixed(l.maxMs)];
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}x` : "n/a");
  console.log(table(header, [
    row("POS reply -> ticket on a KDS", fanOut.latency),
    row("  of which live patches", fanOut.latencyLive),
    row("WebSocket ping, idle (raw)", fanOut.wsPingIdle),
    row("WebSocket ping, under the load", fanOut.wsPingUnderLoad),
    ["fan-out / raw ping", "", ratio(fanOut.latency.p50Ms, fanOut.wsPingIdle.p50Ms), ratio(fanOut.latency.p99Ms, fanOut.wsPingIdle.p99Ms), ""],
    ["fan-out / ping under the load", "", ratio(fanOut.latency.p50Ms, fanOut.wsPingUnderLoad.p50Ms), ratio(fanOut.latency.p99Ms, fanOut.wsPingUnderLoad.p99Ms), ""],
  ]));
  console.log(`  samples = counted confirms x KDS (${fanOut.pairs} pairs); ${fanOut.missing} never shown within ${s.settleTimeoutMs / 1000} s; ` +
    `${fanOut.beforeReply} shown before the POS had its reply (negative, kept); settled ${fanOut.settleS} s after the window`);
  console.log(`  per KDS: ${fanOut.perDisplay.map((p, i) => `#${i} p99 ${fixed(p.p99Ms)} ms, ${p.missing} missing, closed ${p.drops}x, ${p.connectedAtEnd ? "connected" : "NOT connected"} after settling`).join("; ")}`);
  const d = fanOut.drops;
  console.log(d.total === 0
    ? "  KDS connections: none closed by the server"
    : `  KDS connections: the server CLOSED them ${d.total} times (close codes ${codeList(d.byCode)}), the first ${d.firstAfterJoinS} s after the first KDS joined; ` +
      `${fanOut.rejoins} rejoins (${fanOut.rejoinErrors} failed); ${fanOut.viaRejoin} pairs came with a rejoin's full state, not a live patch; ` +
      `${fanOut.wsPingUnderLoadLost} pings under load lost or skipped while KDS 0 was away`);
  const codes = Object.entries(c.errors.byCode).map(([k, n]) => `${k} x${n}`).join(", ");
  console.log(`  POS side: ${fixed(c.confirmsPerSecond, 1)} confirms/s, reply p50 ${fixed(c.latency.p50Ms)} ms, p99 ${fixed(c.latency.p99Ms)} ms, errors ${c.errors.total}${codes ? ` (${codes})` : ""}; ` +
    `server loop p99 ${fixed(c.server.eventLoopDelayP99Ms)} ms, srv cpu ${c.server.cpuPercent ?? "-"}%, bench cpu ${c.bench.cpuPercent}%, bench loop p99 ${fixed(c.bench.eventLoopDelayP99Ms)} ms`);
  console.log(`  printing: ${fanOut.printBacklogAtStart} slips of earlier steps unprinted at the start, ${c.printing.backlogAtEnd} at the window's end (not waited for)`);
}

function codeList(byCode: Record<string, number>): string {
  return Object.entries(byCode).map(([k, n]) => `${k} x${n}`).join(", ");
}

function printPrinting(printing: PrintingOutcome): void {
  const s = benchSettings.printing;
  if ("error" in printing) {
    console.log(`\nPrinting: FAILED (${printing.error})`);
    return;
  }
  const { throughput: t, latency: l, raw, ratios } = printing;
  console.log(`\nPrinting (a second server; printers on emulators in the bench process: kitchen -> A, bar -> B; printing defaults)\n`);
  console.log(table(["", "slips/s", "p50 ms", "p99 ms", "max ms", "samples"], [
    ["project", fixed(t.slipsPerSecond, 1), fixed(l.toSlip.p50Ms), fixed(l.toSlip.p99Ms), fixed(l.toSlip.maxMs), String(l.toSlip.samples)],
    [`raw sendJob (${raw.printers} loops)`, fixed(raw.slipsPerSecond, 1), fixed(raw.latency.p50Ms), fixed(raw.latency.p99Ms), fixed(raw.latency.maxMs), String(raw.latency.samples)],
    ["project / raw", `${fixed(ratios.slipsPerSecond)}x`, `${fixed(ratios.p50, 1)}x`, `${fixed(ratios.p99, 1)}x`, "", ""],
  ]));
  const codes = (e: { total: number; byCode: Record<string, number> }) => (e.total === 0 ? "0" : `${e.total} (${Object.entries(e.byCode).map(([k, n]) => `${k} x${n}`).join(", ")})`);
  console.log(`  (a) slips/s: ${t.confirms} confirms by ${t.clients} POS clients in ${t.confirmS} s (${fixed(t.confirmsPerSecond, 1)} confirms/s, errors ${codes(t.errors)}); ` +
    `all ${t.slips} slips stored ${t.allPrintedS} s after the first send (kitchen ${fixed(t.kitchenSlipsPerSecond, 1)}/s on A, bar ${fixed(t.barSlipsPerSecond, 1)}/s on B), ` +
    `the last ${t.tailS} s after the last reply; srv cpu ${t.serverCpuPercent ?? "-"}%, bench cpu ${t.benchCpuPercent}%; ${t.bytesPerSlip} bytes per slip`);
  console.log(`  (b) p50/p99: ${l.clients} POS clients x ${s.latencyConfirmsPerClient}, each waiting for its kitchen slip on A before the next confirm: the confirm's ok reply -> ` +
    `A stored the slip (receivedAt, 1 ms resolution); ${l.beforeReply} stored before the reply; the confirm itself p50 ${fixed(l.confirmReply.p50Ms)} ms, p99 ${fixed(l.confirmReply.p99Ms)} ms; errors ${codes(l.errors)}`);
  console.log(`  (c) raw: one rendered kitchen slip (${raw.slipBytes} bytes, ${raw.bytesPerSlip} per slip with the status queries and GS ( H), sendJob in a tight loop on ` +
    `${raw.printers} fresh emulators for ${raw.durationS} s, no server: ${fixed(raw.slipsPerSecondPerPrinter, 1)} slips/s per printer; latency = connect -> write -> echo; ` +
    `errors ${raw.errors}${raw.textMatches ? "" : "; the emulator did NOT decode the rendered text back"}`);
  if (printing.failedSlips > 0) console.log(`  ${printing.failedSlips} slips FAILED on the printing server`);
}

function printKitchenState(state: KitchenStateOutcome): void {
  if ("error" in state) {
    console.log(`\nKitchen state: FAILED (${state.error}); test/rooms/kitchen-bounded.test.ts covers it`);
    return;
  }
  const snap = (s: { bytes: number; openTickets: number; bumpedIds: number }) => `${s.bytes} B (${s.openTickets} open tickets, ${s.bumpedIds} bumped ids)`;
  console.log(`\nKitchen state (a fresh screen's full ROOM_STATE frame, station "all"): after the fan-out (its tables closed) ${snap(state.afterFanOut)}; ` +
    `${state.table} with ${state.bumps} tickets: before bumping ${snap(state.beforeBumps)}, after ${state.keep} bumps ${snap(state.atBound)}, ` +
    `after ${state.bumps} bumps ${snap(state.afterBumps)} -> ${state.bounded ? "bounded" : "NOT bounded"}`);
}

/** The last thing printed: issue 15's figures, each beside its raw limit from this same run. */
export function printIssue15(rows: readonly Issue15Row[]): void {
  console.log("\nIssue 15 figures (project vs raw limit, same run)\n");
  const cells = [["figure", "project", "raw limit", "ratio", "goal", "verdict"], ...rows.map((r) => [r.figure, r.project, r.raw, r.ratio, r.goal, r.verdict])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log([line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n"));
  for (const r of rows) if (r.note) console.log(`  ${r.figure}: ${r.note}`);
  const commits = rows.some((r) => r.figure.startsWith("durable commits") && (r.note ?? "").includes("not split"));
  if (commits) console.log("  commits: the writer does not count commits holding system writes only, so confirm-path and print-bookkeeping commits are not split; " +
    "judged: all commits per confirm <= 1 (raw's figure) and one writer unit per command (bench/README.md)");
}

/** Writes bench/results/latest.json (git-ignored) and returns its path. */
export function writeResults(results: BenchResults): string {
  const dir = resolve(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "latest.json");
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function printRoomMemory(m: RoomMemoryOutcome): void {
  if ("error" in m) {
    console.log(`Room memory (${m.when}): FAILED (${m.error})`);
    return;
  }
  console.log(`Room memory (${m.when}): ${m.rooms} more table rooms (${m.tables}): RSS ${mib(m.rssBeforeBytes)} -> ${mib(m.rssAfterBytes)} MiB = ` +
    `${m.rssPerRoomKiB} KiB RSS per room (heap used ${m.heapUsedPerRoomKiB} KiB per room, garbage included)`);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
