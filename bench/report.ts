import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import type { LevelResult } from "./confirm-load.ts";
import type { RawResult } from "./raw-sqlite.ts";
import type { RoomMemoryResult } from "./room-memory.ts";
import { benchSettings } from "./settings.ts";
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
  readonly drifted: boolean;
}

export type RoomMemoryOutcome = RoomMemoryResult | { readonly when: string; readonly error: string };

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
  /** What the server printed at LOG_LEVEL=warn (distinct lines with counts): warnings are findings. */
  readonly serverOutput: Record<string, number>;
}

/** Level i ran between raw slices i and i + 1 (run.ts). */
export function assembleResults(raw: RawResult, levels: readonly LevelResult[], roomMemory: BenchResults["roomMemory"], serverOutput: Record<string, number>): BenchResults {
  const withRatio = levels.map((l, i): LevelWithRatio => {
    const before = raw.slices[i]?.confirmsPerSecond ?? Number.NaN;
    const after = raw.slices[i + 1]?.confirmsPerSecond ?? Number.NaN;
    const mean = round((before + after) / 2, 1);
    const drifted = Math.max(before, after) / Math.min(before, after) > benchSettings.rawDriftWarnRatio;
    return { ...l, rawAround: { before, after, mean, drifted }, ratioToRaw: round(l.confirmsPerSecond / mean) };
  });
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? "unknown", node: process.version },
    settings: benchSettings,
    raw,
    levels: withRatio,
    goal: judgeGoal(withRatio),
    roomMemory,
    serverOutput,
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
      (p.failedSlips > 0 ? `; ${p.failedSlips} FAILED slips` : ""));
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
  const verdict = goal.pass ? "PASS" : `FAIL (${goal.reasons.join("; ")})`;
  console.log(`\nGoal: at ${goal.clients} clients confirms/s >= ${goal.ratioMin.toFixed(1)}x raw and p99 <= ${goal.p99MsMax} ms: ` +
    `${goal.ratio}x raw, p99 ${goal.p99Ms} ms -> ${verdict}`);
  for (const caveat of goal.caveats) console.log(`  caveat: ${caveat}`);
  console.log("");
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
