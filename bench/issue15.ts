import type { LevelWithRatio, FanOutOutcome, PrintingOutcome } from "./report.ts";
import type { KitchenStateResult } from "./kitchen-state.ts";
import { round } from "./stats.ts";
import { benchSettings } from "./settings.ts";

export type KitchenStateOutcome = KitchenStateResult | { readonly error: string };

/** One row of issue 15's table: the project's figure beside its raw limit from the same run. */
export interface Issue15Row {
  readonly figure: string;
  readonly project: string;
  readonly raw: string;
  readonly ratio: string;
  readonly goal: string;
  /** "n/a": the figure could not be measured in this run (the reason is in `note`). */
  readonly verdict: "PASS" | "FAIL" | "n/a";
  readonly note?: string;
}

type Inputs = {
  readonly levels: readonly LevelWithRatio[];
  readonly printing: PrintingOutcome;
  readonly fanOut: FanOutOutcome;
  readonly kitchenState: KitchenStateOutcome;
};

export function issue15Rows(inputs: Inputs): Issue15Row[] {
  return [confirmRow(inputs.levels), ...printingRows(inputs.printing), ...unprintedRows(inputs.levels), fanOutRow(inputs.fanOut), ...commitRows(inputs.levels), kitchenRow(inputs.kitchenState)];
}

const verdict = (pass: boolean): "PASS" | "FAIL" => (pass ? "PASS" : "FAIL");
const num = (value: number | undefined, digits = 2): string => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const times = (value: number | undefined, digits = 2): string => (value !== undefined && Number.isFinite(value) ? `${value.toFixed(digits)}x` : "n/a");
const missing = (figure: string, goal: string, why: string): Issue15Row => ({ figure, project: "n/a", raw: "n/a", ratio: "n/a", goal, verdict: "n/a", note: why });

function confirmRow(levels: readonly LevelWithRatio[]): Issue15Row {
  const { clients, ratioMin, p99MsMax } = benchSettings.issue15.confirm;
  const figure = `confirms/s at ${clients} POS clients (p99) vs raw one-commit-per-confirm SQLite`;
  const goal = `>= ${ratioMin}x, p99 <= ${p99MsMax} ms`;
  const l = levels.find((x) => x.clients === clients);
  if (!l) return missing(figure, goal, `no ${clients}-client level ran`);
  const pass = l.ratioToRaw >= ratioMin && l.latency.p99Ms <= p99MsMax && l.errors.total === 0;
  return {
    figure, goal, verdict: verdict(pass),
    project: `${num(l.confirmsPerSecond, 1)}/s (p99 ${num(l.latency.p99Ms, 1)} ms)`,
    raw: `${num(l.rawAround.mean, 1)}/s (p99 ${num(l.rawAround.p99Ms, 1)} ms)`,
    ratio: times(l.ratioToRaw),
    ...noteOf([
      l.rawAround.drifted ? "the raw slices around the level differ: the disk drifted" : "",
      l.errors.total > 0 ? `${l.errors.total} confirms failed` : "",
    ]),
  };
}

function noteOf(notes: readonly string[]): { note?: string } {
  const text = notes.filter(Boolean).join("; ");
  return text ? { note: text } : {};
}

function printingRows(printing: PrintingOutcome): Issue15Row[] {
  const { ratioMin } = benchSettings.issue15.printing;
  const figure = "slips/s through the printer actor vs raw TCP writes of the same bytes";
  const goal = `>= ${ratioMin}x`;
  if ("error" in printing) return [missing(figure, goal, `printing did not run: ${printing.error}`)];
  const drain = printing.actorDrain.slipsPerSecond;
  const endToEnd = `end to end through the server ${num(printing.throughput.slipsPerSecond, 1)}/s, capped by the ${num(printing.throughput.confirmsPerSecond, 1)} confirms/s feeding it; backlog drained ${num(printing.throughput.tailS, 3)} s after the last confirm`;
  const rows: Issue15Row[] = [
    {
      figure: `${figure} (actors draining a backlog through a real SQLite ledger, vs raw sendJob per slip)`, goal,
      project: `${num(drain, 1)}/s`, raw: `${num(printing.raw.slipsPerSecond, 1)}/s`, ratio: times(printing.drainRatios.sendJob),
      verdict: verdict(printing.drainRatios.sendJob >= ratioMin), note: endToEnd,
    },
    {
      figure: `${figure} (the same drain vs raw writes pipelined on one connection)`, goal,
      project: `${num(drain, 1)}/s`, raw: `${num(printing.rawPipelined.slipsPerSecond, 1)}/s`, ratio: times(printing.drainRatios.pipelined),
      verdict: verdict(printing.drainRatios.pipelined >= ratioMin),
    },
  ];
  return rows;
}

function unprintedRows(levels: readonly LevelWithRatio[]): Issue15Row[] {
  const { unprintedLevels, unprintedWithinS } = benchSettings.issue15;
  return unprintedLevels.map((clients) => {
    const figure = `slips not yet printed after the ${clients}-client burst (at its end / +5 s / +30 s)`;
    const goal = `0 within ${unprintedWithinS} s of the burst's end`;
    const l = levels.find((x) => x.clients === clients);
    if (!l) return missing(figure, goal, `no ${clients}-client level ran`);
    const at = (s: number) => l.printing.unprintedAfter.find((c) => c.seconds === s)?.count;
    const within = at(unprintedWithinS);
    const later = at(30);
    const show = (n: number | undefined) => (n === undefined ? "?" : String(n));
    return {
      figure, goal,
      project: `${l.printing.backlogAtEnd} / ${show(within)} / ${show(later)}`,
      raw: "0 (nothing queued)",
      ratio: "-",
      verdict: within === undefined ? "n/a" : verdict(within === 0 && (later ?? 0) === 0 && l.printing.failedSlips === 0),
      ...(l.printing.failedSlips > 0 ? { note: `${l.printing.failedSlips} slips failed` } : {}),
    };
  });
}

function fanOutRow(fanOut: FanOutOutcome): Issue15Row {
  const { p99RatioToLoadedPingMax, p99MsMax } = benchSettings.issue15.fanOut;
  const figure = "confirm -> KDS update p99 vs WebSocket ping p99 under the same load";
  const goal = `<= ${p99RatioToLoadedPingMax}x and <= ${p99MsMax} ms`;
  if ("error" in fanOut) return missing(figure, goal, `the fan-out did not run: ${fanOut.error}`);
  const ratio = fanOut.latency.p99Ms / fanOut.wsPingUnderLoad.p99Ms;
  const pass = ratio <= p99RatioToLoadedPingMax && fanOut.latency.p99Ms <= p99MsMax && fanOut.missing === 0;
  return {
    figure, goal, verdict: verdict(pass),
    project: `${num(fanOut.latency.p99Ms, 1)} ms`, raw: `${num(fanOut.wsPingUnderLoad.p99Ms, 1)} ms`, ratio: times(round(ratio, 2)),
    ...(fanOut.missing > 0 ? { note: `${fanOut.missing} tickets never reached a KDS` } : {}),
  };
}

/**
 * Raw one-commit-per-confirm SQLite does exactly 1 commit per confirm, with no print bookkeeping.
 * The project passes when all its commits (confirm, print start, print end, cursor) are at most that,
 * and every command is one writer unit (so a confirm waits for one commit, its slips in it).
 */
function commitRows(levels: readonly LevelWithRatio[]): Issue15Row[] {
  return benchSettings.issue15.commitsAtClients.map((clients) => {
    const figure = `durable commits per confirm at ${clients} clients (confirm, print start, print end, cursor)`;
    const goal = "1 on confirm path, print batched";
    const l = levels.find((x) => x.clients === clients);
    if (!l) return missing(figure, goal, `no ${clients}-client level ran`);
    const c = l.commitSplit;
    const pass = c.commitsPerConfirm <= 1 && c.oneUnitPerCommand !== false;
    const split = c.confirmPathCommitsPerConfirm !== undefined
      ? `confirm path ${num(c.confirmPathCommitsPerConfirm, 3)} commits/confirm, bookkeeping ${num(c.bookkeepingCommitsPerSlip, 3)} commits/slip`
      : `${num(c.commandUnitsPerCommand, 3)} writer units/command, ${num(c.systemWritesPerSlip, 2)} system writes/slip over ${c.settledSlips} slips settled (commits not split)`;
    return {
      figure, goal, verdict: verdict(pass),
      project: `${num(c.commitsPerConfirm, 3)} commits/confirm`,
      raw: "1 commit/confirm",
      ratio: times(c.commitsPerConfirm, 3),
      ...noteOf([split, c.oneUnitPerCommand === undefined ? "GET /metrics unreadable: only all commits per confirm is judged" : "", c.oneUnitPerCommand === false ? "more writer units than ok commands" : ""]),
    };
  });
}

function kitchenRow(state: KitchenStateOutcome): Issue15Row {
  const figure = "kitchen room full state for a fresh screen after N bumps vs at the bumped-ids bound";
  const goal = "bounded: old bumped tickets leave the synced state";
  if ("error" in state) return missing(figure, goal, `not measured: ${state.error} (test/rooms/kitchen-bounded.test.ts covers it)`);
  return {
    figure: `kitchen room full state after ${state.bumps} bumps vs after ${state.keep} (the bound)`, goal: "bounded: old bumped tickets leave the state",
    project: `${state.afterBumps.bytes} B (${state.afterBumps.bumpedIds} bumped ids)`,
    raw: `${state.atBound.bytes} B (${state.atBound.bumpedIds} bumped ids)`,
    ratio: times(state.afterBumps.bytes / state.atBound.bytes),
    verdict: verdict(state.bounded),
    note: `fresh screen after the fan-out (its tables closed): ${state.afterFanOut.bytes} B, ${state.afterFanOut.openTickets} open tickets; before the bumps ${state.beforeBumps.bytes} B`,
  };
}
