import { availableParallelism, cpus } from "node:os";
import type { PaymentsLevelResult } from "./payments-load.ts";
import { runPaymentsLevel } from "./payments-load.ts";
import { RawPayments, type RawPaymentsResult, type RawPaymentsSlice } from "./payments-raw.ts";
import { runReconcileBench, type ReconcileResult } from "./payments-reconcile.ts";
import { dataDirOf, paymentsDir, startPaymentsServer } from "./payments-server.ts";
import { levelTableIds, paymentsSettings as s } from "./payments-settings.ts";
import { printBacklogNow, waitForPrintDrain, type PrintBacklog } from "./print-drain.ts";
import { OutputPhases, summarizeServerOutput } from "./report.ts";
import { MetricsProbe, removeBenchDir, stopBenchServer } from "./server-control.ts";
import { round } from "./stats.ts";

export interface RawAroundPayments {
  /** Payment transactions only (cash 1, card 2), half and half: the raw slices just before and after the level. */
  readonly before: number;
  readonly after: number;
  readonly mean: number;
  /** The whole loop's transactions (open + confirm + payment), same slices. */
  readonly cycleMean: number;
  readonly drifted: boolean;
}

export type PaymentsLevelWithRatio = PaymentsLevelResult & {
  readonly rawAround: RawAroundPayments;
  /** payments/s ÷ raw payments/s (payment transactions only). */
  readonly ratioToRaw: number;
  /** payments/s ÷ raw cycles/s (the same durable writes as the terminals' whole loop). */
  readonly ratioToRawCycle: number;
  /** Kitchen slips of the level still printing when its window ended, and how long they took to finish. */
  readonly printing: PrintBacklog;
};

export type ReconcileOutcome = ReconcileResult | { readonly error: string };

export interface PaymentsResults {
  readonly generatedAt: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly node: string };
  readonly settings: typeof s;
  readonly raw: RawPaymentsResult;
  readonly levels: readonly PaymentsLevelWithRatio[];
  readonly reconcile: ReconcileOutcome;
  /** What the payments servers printed at LOG_LEVEL=warn (distinct lines with counts, by phase). */
  readonly serverOutput: Record<string, number>;
}

export type PaymentsOutcome = PaymentsResults | { readonly error: string };

/**
 * Issue #11: (1) payments at 16 and 64 terminals on a server of its own, with (2) raw slices before
 * and after each level, then (3) the reconciliation of 10,000 open intents on two more server
 * processes sharing one data dir. See bench/README.md "Payments".
 */
export async function runPaymentsBench(): Promise<PaymentsResults> {
  const phaseLog: { phase: string; chunks: string[] }[] = [];
  const { raw, levels } = await onPaymentsServer(phaseLog);
  const r = s.reconcile;
  console.log(`payments reconciliation: ${r.intents} card intents on ${r.tables} tables left pending, then a restart with the faults cleared …`);
  const reconcile: ReconcileOutcome = await runReconcileBench((phase, chunks) => phaseLog.push({ phase, chunks: [...chunks] }))
    .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  if (!("error" in reconcile)) {
    console.log(`  ${reconcile.intents} intents settled in ${reconcile.seconds} s after "listening" (${reconcile.intentsPerSecond}/s; ${reconcile.outcome.approved} approved, ` +
      `${reconcile.outcome.void} void, ${reconcile.outcome.pending} pending); raw query+net cancel ${reconcile.raw.total.intentsPerSecond}/s → ${reconcile.ratio}x`);
  } else console.log(`  FAILED: ${reconcile.error}`);
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? "unknown", node: process.version },
    settings: s,
    raw,
    levels,
    reconcile,
    serverOutput: summarizeServerOutput(phaseLog),
  };
}

/** The levels on one server (built-in VAN simulator, as the demo runs), raw slices between them with the server idle. */
async function onPaymentsServer(phaseLog: { phase: string; chunks: string[] }[]) {
  const raw = await RawPayments.open();
  const { dir, configFile } = paymentsDir("bench-payments");
  const server = await startPaymentsServer(configFile, dataDirOf(dir));
  const phases = new OutputPhases(server.output);
  try {
    const probe = await MetricsProbe.connect(server.endpoint);
    printSlice(raw.slice(`before ${s.levels[0]} terminals`));
    const results: (PaymentsLevelResult & { printing: PrintBacklog })[] = [];
    for (const [i, clients] of s.levels.entries()) {
      phases.begin(`payments, ${clients} terminals`);
      console.log(`payments, ${clients} terminals (half cash, half card): warm-up ${s.warmUpMs / 1000} s, measure ${s.measureMs / 1000} s …`);
      const level = await runPaymentsLevel(server, probe, levelTableIds(i));
      const printing = await waitForPrintDrain(server, printBacklogNow(server), s.printDrainTimeoutMs);
      results.push({ ...level, printing });
      console.log(`  ${level.paymentsPerSecond} payments/s (cash ${level.cash.perSecond}, card ${level.card.perSecond}); payment.start p99 cash ${level.cash.latency.p99Ms} ms, ` +
        `card ${level.card.latency.p99Ms} ms; errors ${level.errors.total}`);
      printSlice(raw.slice(`after ${clients} terminals`));
    }
    phaseLog.push(...phases.split().map((p) => ({ ...p, phase: p.phase === "start" ? "payments server start" : p.phase })));
    const rawResult = await raw.finish();
    return { raw: rawResult, levels: results.map((l, i) => withRatio(l, rawResult.slices[i], rawResult.slices[i + 1])) };
  } catch (error) {
    console.error(`payments benchmark failed; server output:\n${server.output.join("").slice(-4_000)}`);
    throw error;
  } finally {
    await stopBenchServer(server);
    removeBenchDir(dir);
  }
}

function withRatio(level: PaymentsLevelResult & { printing: PrintBacklog }, before: RawPaymentsSlice | undefined, after: RawPaymentsSlice | undefined): PaymentsLevelWithRatio {
  const b = before?.paymentsPerSecond ?? Number.NaN;
  const a = after?.paymentsPerSecond ?? Number.NaN;
  const mean = round((b + a) / 2, 1);
  const cycleMean = round(((before?.cyclePaymentsPerSecond ?? Number.NaN) + (after?.cyclePaymentsPerSecond ?? Number.NaN)) / 2, 1);
  const drifted = Math.max(a, b) / Math.min(a, b) > s.rawDriftWarnRatio;
  return {
    ...level,
    rawAround: { before: b, after: a, mean, cycleMean, drifted },
    ratioToRaw: round(level.paymentsPerSecond / mean, 3),
    ratioToRawCycle: round(level.paymentsPerSecond / cycleMean, 3),
  };
}

function printSlice(slice: RawPaymentsSlice): void {
  console.log(`raw better-sqlite3 payments (${slice.label}): ${slice.paymentsPerSecond} payments/s in payment transactions (cash ${slice.cash.perSecond}/s, ` +
    `card ${slice.card.perSecond}/s), ${slice.cyclePaymentsPerSecond}/s with open + confirm`);
}
